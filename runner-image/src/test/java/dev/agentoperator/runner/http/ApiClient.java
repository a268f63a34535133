package dev.agentoperator.runner.http;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.runner.loop.TestPolicies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Talks to a runner's HTTP API the way the operator does: JDK HTTP client, bearer token. */
class ApiClient {

  static final String TOKEN = "runner-token-0123456789-abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An HTTP answer: status, raw body and the body as JSON (null when it is not JSON). */
  record Answer(int status, String body, JsonNode json) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  /**
   * {@code requestJson} with the explicit policy {@code tools: {allow: ["*"]}}, for tests about
   * something else than the policy: the runner refuses a run request without one.
   */
  static String allowingEveryTool(String requestJson) {
    try {
      var request = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(requestJson);
      request.set("tools", JSON.readTree(TestPolicies.EVERY_TOOL_JSON));
      return JSON.writeValueAsString(request);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON object: " + requestJson, e);
    }
  }

  ApiClient(int port) {
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  Answer put(String path, String json) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer post(String path, String json) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer get(String path) {
    return send(request(path).GET());
  }

  Answer send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException notJson) {
        json = null;
      }
      return new Answer(response.statusCode(), response.body(), json);
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return unauthenticated(path).header("Authorization", "Bearer " + TOKEN);
  }

  HttpRequest.Builder unauthenticated(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(90));
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Waits until the run's summary shows {@code phase} and returns that summary. */
  JsonNode awaitPhase(String uid, String phase) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> get("/v1/runs/" + uid).json(), s -> phase.equals(s.path("phase").asText()));
  }

  /** Every event of the run, oldest first. */
  JsonNode events(String uid) {
    return get("/v1/runs/" + uid + "/events?after=0&limit=1000").json();
  }

  /** The run's events of one type, oldest first. */
  List<JsonNode> eventsOf(String uid, String type) {
    List<JsonNode> matching = new ArrayList<>();
    events(uid)
        .path("events")
        .forEach(
            e -> {
              if (type.equals(e.path("type").asText())) {
                matching.add(e);
              }
            });
    return matching;
  }
}
