package dev.agentoperator.runner.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real runner service (HTTP server, run manager, loop, tools, snapshots) on a free loopback port
 * over a workspace and state directory, configured through the same environment variables the
 * sandbox pod sets, with a JDK HTTP client that talks to it like the operator does.
 */
final class RunnerHarness implements AutoCloseable {

  static final String TOKEN = "runner-token-0123456789-abcdef";
  static final String API_KEY = "sk-model-key-9876543210-SECRET";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An HTTP answer: status, raw body and the body as JSON (null when it is not JSON). */
  record Answer(int status, String body, JsonNode json) {}

  final Path workspace;
  final Path stateDir;
  private final ByteArrayOutputStream console;
  private final RunnerService service;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunnerHarness(
      Path workspace, Path stateDir, RunnerService service, ByteArrayOutputStream console) {
    this.workspace = workspace;
    this.stateDir = stateDir;
    this.service = service;
    this.console = console;
  }

  static RunnerHarness start(Path root, ScriptedModelServer model) throws IOException {
    return start(root, model, Map.of());
  }

  static RunnerHarness start(Path root, ScriptedModelServer model, Map<String, String> extraEnv)
      throws IOException {
    Path workspace = root.resolve("workspace");
    Path stateDir = root.resolve("state");
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_RUNNER_ADDRESS", "127.0.0.1:0");
    env.put("AGENT_RUNNER_TOKEN", TOKEN);
    env.put("AGENT_WORKSPACE_DIR", workspace.toString());
    env.put("AGENT_STATE_DIR", stateDir.toString());
    env.put("AGENT_MODEL_PROVIDER", "openai");
    env.put("AGENT_MODEL_BASE_URL", model.baseUrl());
    env.put("AGENT_MODEL_NAME", "scripted-model");
    env.put("AGENT_MODEL_API_KEY", API_KEY);
    env.putAll(extraEnv);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    RunnerService service =
        RunnerService.start(
            RunnerSettings.fromEnv(env), new PrintStream(console, true, StandardCharsets.UTF_8));
    return new RunnerHarness(workspace, stateDir, service, console);
  }

  RunnerService service() {
    return service;
  }

  /** What the service printed on its console so far. */
  String console() {
    return console.toString(StandardCharsets.UTF_8);
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
    return "http://127.0.0.1:" + service.address().getPort();
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

  /** Stops serving HTTP and forgets the service, leaving its run as a crashed process would. */
  void abandon() {
    service.stopServing();
  }

  @Override
  public void close() {
    service.close();
  }
}
