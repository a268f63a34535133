package dev.agentoperator.runner.tools.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** open_pull_request against a scripted forge API: idempotent, token only in the header. */
class OpenPullRequestToolTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "ghp-forge-token-456";
  private static final ToolExecutor NO_SANDBOX =
      (call, context) -> {
        throw new AssertionError("open_pull_request must run in the runner");
      };

  @TempDir Path root;

  private MockWebServer forge;
  private Path tokenFile;
  private final List<ObjectNode> events = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    forge = new MockWebServer();
    forge.start();
    tokenFile = root.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
  }

  @AfterEach
  void stop() {
    forge.close();
  }

  @Test
  void shouldCreateAGitHubPullRequestWhenNoneIsOpen() throws Exception {
    forge.enqueue(json(200, "[]"));
    forge.enqueue(json(201, "{\"number\":7,\"html_url\":\"https://github.com/acme/app/pull/7\"}"));

    ToolResult result = open("github", Map.of("title", "Notes", "body", "Adds notes",
        "branch", "agent/notes"));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content()).contains("https://github.com/acme/app/pull/7").doesNotContain(TOKEN);
    RecordedRequest list = forge.takeRequest();
    assertThat(list.getMethod()).isEqualTo("GET");
    assertThat(list.getUrl().encodedPath()).isEqualTo("/api/repos/acme/app/pulls");
    assertThat(list.getUrl().queryParameter("head")).isEqualTo("acme:agent/notes");
    assertThat(list.getUrl().queryParameter("base")).isEqualTo("main");
    assertThat(list.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    RecordedRequest create = forge.takeRequest();
    assertThat(create.getMethod()).isEqualTo("POST");
    JsonNode body = JSON.readTree(create.getBody().utf8());
    assertThat(body.path("head").asText()).isEqualTo("agent/notes");
    assertThat(body.path("base").asText()).isEqualTo("main");
    assertThat(body.path("title").asText()).isEqualTo("Notes");
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.path("type").asText()).isEqualTo("pull_request.opened");
      assertThat(e.path("number").asLong()).isEqualTo(7);
      assertThat(e.path("existed").asBoolean()).isFalse();
    });
  }

  @Test
  void shouldReturnTheOpenPullRequestInsteadOfADuplicate() throws Exception {
    forge.enqueue(json(200, "[{\"number\":3,\"html_url\":\"https://github.com/acme/app/pull/3\"}]"));

    ToolResult result = open("github", Map.of("title", "Notes", "branch", "agent/notes"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).contains("already open", "pull/3");
    assertThat(forge.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldSpeakTheGitLabMergeRequestApi() throws Exception {
    forge.enqueue(json(200, "[]"));
    forge.enqueue(json(201, "{\"iid\":5,\"web_url\":\"https://gitlab.example/acme/app/-/merge_requests/5\"}"));

    ToolResult result = open("gitlab", Map.of("title", "Notes", "branch", "agent/notes",
        "base", "develop"));

    assertThat(result.error()).as(result.content()).isFalse();
    RecordedRequest list = forge.takeRequest();
    assertThat(list.getUrl().encodedPath()).isEqualTo("/api/projects/acme%2Fapp/merge_requests");
    assertThat(list.getUrl().queryParameter("target_branch")).isEqualTo("develop");
    assertThat(list.getHeaders().get("PRIVATE-TOKEN")).isEqualTo(TOKEN);
    JsonNode body = JSON.readTree(forge.takeRequest().getBody().utf8());
    assertThat(body.path("source_branch").asText()).isEqualTo("agent/notes");
  }

  @Test
  void shouldKeepTheTokenOutOfAForgeError() throws Exception {
    forge.enqueue(json(401, "{\"message\":\"Bad credentials " + TOKEN + "\"}"));

    ToolResult result = open("github", Map.of("title", "Notes", "branch", "agent/notes"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("401", "Bad credentials").doesNotContain(TOKEN);
  }

  @Test
  void shouldRefuseABranchTheSessionMayNotPushTo() throws Exception {
    ToolResult result = open("github", Map.of("title", "Notes", "branch", "master"));

    assertThat(result.error()).isTrue();
    assertThat(forge.getRequestCount()).isZero();
  }

  @Test
  void shouldFailClosedWhenPullRequestsAreNotConfigured() throws Exception {
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults(), PublishSettings.none());

    ToolResult result = registry.execute(registry.prepare("open_pull_request",
        "{\"title\":\"t\",\"branch\":\"agent/notes\"}"), context(), NO_SANDBOX);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("not configured");
  }

  private ToolResult open(String provider, Map<String, String> arguments) throws Exception {
    PublishSettings settings = PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, "https://github.com/acme/app.git",
        PublishSettings.PUSH_BRANCHES_ENV, "agent/*",
        PublishSettings.PR_PROVIDER_ENV, provider,
        PublishSettings.PR_API_URL_ENV, forge.url("/api/").toString(),
        PublishSettings.PR_TOKEN_FILE_ENV, tokenFile.toString(),
        PublishSettings.PR_BASE_BRANCH_ENV, "main"));
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults(), settings);
    return registry.execute(registry.prepare("open_pull_request",
        JSON.writeValueAsString(arguments)), context(), NO_SANDBOX);
  }

  private ToolContext context() {
    return new ToolContext(root.resolve("workspace"), root.resolve("state"), Set.of(),
        (type, data) -> events.add(data.deepCopy().put("type", type)));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .body(body).build();
  }
}
