package dev.agentoperator.runner.tools.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.ToolException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The REST calls of {@code open_pull_request} for GitHub, Gitea and GitLab: find an open pull
 * (merge) request from {@code head} into {@code base}, or create one. The token goes in a header
 * only; error messages carry the forge's status and message, never the request's headers.
 */
final class PullRequestForge {

  /** An open pull request: its web address and number, and whether it existed already. */
  record PullRequest(String url, long number, boolean existed) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final int ERROR_MESSAGE_MAX = 300;

  private final OkHttpClient http;
  private final PublishSettings.PullRequests settings;

  PullRequestForge(PublishSettings.PullRequests settings) {
    this.settings = settings;
    this.http =
        new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(30))
            .followRedirects(false) // a redirect must not carry the token elsewhere
            .build();
  }

  /** The open pull request from {@code head} into {@code base}, created when there is none. */
  PullRequest open(String token, String head, String base, String title, String body)
      throws IOException {
    Optional<PullRequest> existing = find(token, head, base);
    if (existing.isPresent()) {
      return existing.get();
    }
    JsonNode created = send(token, create(head, base, title, body));
    return fromJson(created, false);
  }

  private Optional<PullRequest> find(String token, String head, String base) throws IOException {
    HttpUrl.Builder url = api(collection());
    switch (settings.provider()) {
      case GITHUB ->
          url.addQueryParameter("state", "open")
              .addQueryParameter("head", owner() + ":" + head)
              .addQueryParameter("base", base);
      case GITEA -> url.addQueryParameter("state", "open").addQueryParameter("limit", "50");
      case GITLAB ->
          url.addQueryParameter("state", "opened")
              .addQueryParameter("source_branch", head)
              .addQueryParameter("target_branch", base);
    }
    JsonNode list = send(token, request(url.build()).get().build());
    for (JsonNode item : list) {
      if (settings.provider() == PublishSettings.Provider.GITEA
          && !(head.equals(item.path("head").path("ref").asText())
              && base.equals(item.path("base").path("ref").asText()))) {
        continue;
      }
      return Optional.of(fromJson(item, true));
    }
    return Optional.empty();
  }

  private Request create(String head, String base, String title, String body) {
    ObjectNode json = JSON.createObjectNode();
    if (settings.provider() == PublishSettings.Provider.GITLAB) {
      json.put("source_branch", head).put("target_branch", base).put("title", title);
      json.put("description", body);
    } else {
      json.put("head", head).put("base", base).put("title", title).put("body", body);
    }
    return request(api(collection()).build())
        .post(RequestBody.create(json.toString(), JSON_TYPE))
        .build();
  }

  private JsonNode send(String token, Request request) throws IOException {
    Request authorised = authorise(request, token);
    try (Response response = http.newCall(authorised).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new ToolException(
            settings.provider().name().toLowerCase(java.util.Locale.ROOT)
                + " answered "
                + response.code()
                + " to "
                + request.method()
                + " "
                + request.url().encodedPath()
                + ": "
                + forgeMessage(text));
      }
      return JSON.readTree(text);
    }
  }

  private Request authorise(Request request, String token) {
    Request.Builder builder = request.newBuilder();
    switch (settings.provider()) {
      case GITHUB ->
          builder
              .header("Authorization", "Bearer " + token)
              .header("Accept", "application/vnd.github+json")
              .header("X-GitHub-Api-Version", "2022-11-28");
      case GITEA -> builder.header("Authorization", "token " + token);
      case GITLAB -> builder.header("PRIVATE-TOKEN", token);
    }
    return builder.build();
  }

  private static Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url).header("User-Agent", "agent-operator-runner");
  }

  private PullRequest fromJson(JsonNode json, boolean existed) {
    boolean gitlab = settings.provider() == PublishSettings.Provider.GITLAB;
    String url = json.path(gitlab ? "web_url" : "html_url").asText("");
    long number = json.path(gitlab ? "iid" : "number").asLong(0);
    if (url.isEmpty()) {
      throw new ToolException("the forge's answer names no pull request URL");
    }
    return new PullRequest(url, number, existed);
  }

  /** The pull request collection of the repository, below the API base URL. */
  private String collection() {
    return switch (settings.provider()) {
      case GITHUB, GITEA -> "repos/" + settings.repository() + "/pulls";
      case GITLAB ->
          "projects/"
              + URLEncoder.encode(settings.repository(), StandardCharsets.UTF_8)
              + "/merge_requests";
    };
  }

  private HttpUrl.Builder api(String path) {
    HttpUrl base = HttpUrl.get(settings.apiUrl().toString());
    HttpUrl.Builder builder = base.newBuilder();
    for (String segment : path.split("/")) {
      builder.addEncodedPathSegment(segment);
    }
    // an API URL ending in "/" leaves an empty segment in front; drop it
    HttpUrl built = builder.build();
    HttpUrl.Builder clean = built.newBuilder().encodedPath("/");
    built.encodedPathSegments().stream()
        .filter(s -> !s.isEmpty())
        .forEach(clean::addEncodedPathSegment);
    return clean;
  }

  private String owner() {
    String repository = settings.repository();
    int slash = repository.indexOf('/');
    return slash < 0 ? repository : repository.substring(0, slash);
  }

  private static String forgeMessage(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      String message = json.path("message").asText(json.path("error").asText(""));
      if (!message.isEmpty()) {
        return cut(message);
      }
    } catch (IOException e) {
      // not JSON: show the start of the text
    }
    return cut(body);
  }

  private static String cut(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= ERROR_MESSAGE_MAX
        ? oneLine
        : oneLine.substring(0, ERROR_MESSAGE_MAX) + "…";
  }
}
