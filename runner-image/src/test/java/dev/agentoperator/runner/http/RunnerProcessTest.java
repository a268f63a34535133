package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.RunnerMain;
import dev.agentoperator.testing.model.Turn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as the sandbox pod runs it: {@code init-workspace}, then {@code serve} processes. */
class RunnerProcessTest {

  private static final String TASK =
      "{\"prompt\":\"two steps\",\"tools\":{\"allow\":[\"write_file\"],\"ask\":[\"shell\"]}}";

  @TempDir Path root;

  private TurnScriptedModel model;
  private RunnerProcess runner;

  @AfterEach
  void stop() throws Exception {
    if (runner != null) {
      runner.close();
    }
    if (model != null) {
      model.close();
    }
  }

  private Map<String, String> env() {
    return Map.of(
        "AGENT_RUNNER_TOKEN",
        ApiClient.TOKEN,
        "AGENT_MODEL_PROVIDER",
        "openai",
        "AGENT_MODEL_BASE_URL",
        model.baseUrl(),
        "AGENT_MODEL_NAME",
        "scripted-model");
  }

  @Test
  void shouldResumeAfterTheServeProcessIsKilledMidRun() throws Exception {
    // given: an initialised volume and a run killed (SIGKILL) while it waits for approval
    model =
        new TurnScriptedModel(
            Turn.call("write_file", "{\"path\":\"one.txt\",\"content\":\"1\"}"),
            Turn.call("shell", "{\"command\":\"echo 2 > two.txt\"}"),
            Turn.say("finished"));
    ByteArrayOutputStream initOut = new ByteArrayOutputStream();
    int init =
        RunnerMain.run(
            new String[] {"init-workspace"},
            Map.of(
                "AGENT_WORKSPACE_DIR", root.resolve("workspace").toString(),
                "AGENT_STATE_DIR", root.resolve("state").toString()),
            new PrintStream(initOut, true, StandardCharsets.UTF_8),
            new PrintStream(initOut, true, StandardCharsets.UTF_8));
    assertThat(init).as(initOut.toString(StandardCharsets.UTF_8)).isZero();
    runner = RunnerProcess.start(root, env(), Duration.ofSeconds(60));
    ApiClient api = new ApiClient(runner.port());
    assertThat(api.send(api.unauthenticated("/readyz").GET()).status()).isEqualTo(200);
    api.put("/v1/runs/run-1", TASK);
    api.awaitPhase("run-1", "AwaitingApproval");
    List<JsonNode> before = CancelAndApprovalsApiTest.iterable(api.events("run-1").path("events"));
    runner.kill();

    // when: a new process on the same volume resumes the run
    runner = RunnerProcess.start(root, env(), Duration.ofSeconds(60));
    api = new ApiClient(runner.port());
    ApiClient.Answer resumed = api.put("/v1/runs/run-1", TASK.replace("}}", "},\"resume\":true}"));
    String id =
        api.awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();
    api.post("/v1/runs/run-1/approvals", "{\"id\":\"" + id + "\",\"decision\":\"approve\"}");
    JsonNode done = api.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(resumed.status()).isEqualTo(201);
    assertThat(done.path("result").path("text").asText()).isEqualTo("finished");
    assertThat(Files.readString(root.resolve("workspace/one.txt"))).isEqualTo("1");
    assertThat(Files.readString(root.resolve("workspace/two.txt")).strip()).isEqualTo("2");
    List<JsonNode> after = CancelAndApprovalsApiTest.iterable(api.events("run-1").path("events"));
    assertThat(after.subList(0, before.size())).isEqualTo(before);
    for (int i = 0; i < after.size(); i++) {
      assertThat(after.get(i).path("seq").asLong()).isEqualTo(i + 1L);
    }
    assertThat(after.stream().filter(e -> e.path("type").asText().equals("tool.called")).count())
        .isEqualTo(2);
    assertThat(runner.output()).contains("run run-1 resumed");
  }

  @Test
  void shouldSuspendTheRunOnSigtermSoTheNextProcessResumesIt() throws Exception {
    // given: a run in the middle of a model call
    model =
        new TurnScriptedModel(
            Turn.call("write_file", "{\"path\":\"a.txt\",\"content\":\"a\"}"),
            Turn.say("finished after the restart"));
    model.hold(2);
    runner = RunnerProcess.start(root, env(), Duration.ofSeconds(60));
    ApiClient api = new ApiClient(runner.port());
    api.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    assertThat(model.awaitRequest(2, 60)).isTrue();

    // when: the pod is stopped (SIGTERM), then a new process resumes the run
    runner.terminate();
    model.release(2);
    runner = RunnerProcess.start(root, env(), Duration.ofSeconds(60));
    api = new ApiClient(runner.port());
    JsonNode suspended = api.get("/v1/runs/run-1").json();
    api.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\",\"resume\":true}"));
    JsonNode done = api.awaitPhase("run-1", "Succeeded");

    // then: the shutdown recorded no end, and the run finished in the next process
    assertThat(suspended.path("phase").asText()).isEqualTo("Running");
    assertThat(suspended.path("message").asText()).contains("resume: true");
    assertThat(done.path("result").path("text").asText()).isEqualTo("finished after the restart");
    List<String> types = RunsApiTest.types(api.events("run-1"));
    assertThat(types.stream().filter(t -> t.startsWith("run.") && !t.equals("run.started")))
        .containsExactly("run.succeeded");
    assertThat(types.stream().filter(t -> t.equals("run.started"))).hasSize(2);
  }

  @Test
  void shouldRefuseToServeWithoutTokenAndSayWhichVariableIsMissing() {
    // given
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    // when
    int exit =
        RunnerMain.run(
            new String[] {"serve"},
            Map.of("AGENT_MODEL_NAME", "m"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    // then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("AGENT_RUNNER_TOKEN is required");
  }
}
