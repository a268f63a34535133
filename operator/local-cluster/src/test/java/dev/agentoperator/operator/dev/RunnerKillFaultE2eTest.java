package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.FaultChecks.assertNoDuplicateEntries;
import static dev.agentoperator.operator.dev.FaultChecks.assertOneTerminalEvent;
import static dev.agentoperator.operator.dev.FaultChecks.assertStaysIn;
import static dev.agentoperator.operator.dev.FaultChecks.count;
import static dev.agentoperator.operator.dev.FaultChecks.lines;
import static dev.agentoperator.operator.dev.FaultChecks.texts;
import static dev.agentoperator.operator.dev.FaultChecks.transcript;
import static dev.agentoperator.operator.dev.LocalClusterExtension.NS;
import static dev.agentoperator.operator.dev.ScriptedModel.Fault.slow;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runner process SIGKILLed in the middle of a model call and in the middle of a tool call.
 * The pod restarts it, the operator dispatches the run again with resume, and the run ends once:
 * {@code attempts: 2}, recorded tool calls not run again, and a call that was running when the
 * process died run again only with the runner's "ran again" mark in the transcript.
 */
class RunnerKillFaultE2eTest {

  /** How the runner marks a tool result whose call ran again on resume (ToolStep.RETRIED_NOTE). */
  private static final String RETRIED = "[This call ran again after the runner restarted;";

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("runner-kill-fault").applying(MODEL_KEY_SECRET);

  @Test
  void shouldResumeARunnerKilledMidModelCallWithoutRerunningTheRecordedToolCall()
      throws Exception {
    // given a run whose second model call (after one tool call) is answered only after 30 s
    model.faults("[mid-model]", slow(Duration.ZERO), slow(Duration.ofSeconds(30)));
    model.script("[mid-model]",
        call("shell", args("command", "echo ran >> calls.log; echo mid-$((40 + 2))")),
        say("Done after the kill."));
    cluster.apply(session("midmodel", model, null)
        + run("midmodel-run", "midmodel", "[mid-model] go"));
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> model.requests("[mid-model]").size() == 2);
    ProcessHandle runner =
        cluster.cluster().pods().process(NS, "midmodel-sandbox", "runner").orElseThrow();

    // when the runner is SIGKILLed while that request is in flight
    runner.destroyForcibly();

    // then the restarted runner resumes and asks the model again; the tool call is not rerun
    AgentRun run = cluster.awaitPhase("midmodel-run", AgentRunPhase.Succeeded);
    assertThat(runner.isAlive()).isFalse();
    assertThat(run.getStatus().getAttempts()).isEqualTo(2);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Done after the kill.");
    assertThat(lines(cluster.workspace("midmodel").resolve("calls.log")))
        .containsExactly("ran");
    assertThat(model.requests("[mid-model]")).hasSize(3);
    List<JsonNode> events = cluster.runnerEvents("midmodel", run);
    assertThat(count(events, "run.started")).isEqualTo(2);
    assertThat(count(events, "tool.called")).isEqualTo(1);
    assertOneTerminalEvent(events, "run.succeeded");
    List<JsonNode> transcript = transcript(cluster, "midmodel", run);
    assertNoDuplicateEntries(transcript);
    assertThat(texts(transcript, "tool")).singleElement().asString()
        .contains("mid-42").doesNotContain(RETRIED);
    assertThat(texts(transcript, "assistant")).containsOnlyOnce("Done after the kill.");
    assertStaysIn(cluster, "midmodel-run", AgentRunPhase.Succeeded);
  }

  @Test
  void shouldRunACallInterruptedByARunnerKillAgainOnlyMarkedAsRetried() throws Exception {
    // given a run whose second tool call is running (the first attempt blocks, a second would not)
    model.script("[mid-tool]",
        call("shell", args("command", "echo one >> calls.log")),
        call("shell", args("command",
            "echo two >> calls.log; if [ ! -f .killed ]; then touch .killed; sleep 60; fi;"
                + " echo second-call-output")),
        say("Both calls done."));
    cluster.apply(session("midtool", model, null)
        + run("midtool-run", "midtool", "[mid-tool] go"));
    Path workspace = cluster.workspace("midtool");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(workspace.resolve(".killed")));
    ProcessHandle runner =
        cluster.cluster().pods().process(NS, "midtool-sandbox", "runner").orElseThrow();

    // when the runner is SIGKILLed inside that call
    runner.destroyForcibly();

    // then the run resumes; the recorded call does not run again, the interrupted one does, and
    // its one result in the transcript says that it ran again
    AgentRun run = cluster.awaitPhase("midtool-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(2);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Both calls done.");
    assertThat(lines(workspace.resolve("calls.log"))).containsExactly("one", "two", "two");
    List<JsonNode> events = cluster.runnerEvents("midtool", run);
    assertThat(count(events, "run.started")).isEqualTo(2);
    List<JsonNode> called = events.stream()
        .filter(e -> e.path("type").asText().equals("tool.called")).toList();
    assertThat(called).extracting(e -> e.path("data").path("callId").asText())
        .containsExactly("call_1_1", "call_2_1", "call_2_1");
    assertThat(called).extracting(e -> e.path("data").path("retried").asBoolean())
        .containsExactly(false, false, true);
    assertOneTerminalEvent(events, "run.succeeded");
    List<JsonNode> transcript = transcript(cluster, "midtool", run);
    assertNoDuplicateEntries(transcript);
    List<String> results = texts(transcript, "tool");
    assertThat(results).hasSize(2);
    assertThat(results.get(0)).doesNotContain(RETRIED);
    assertThat(results.get(1)).startsWith(RETRIED).contains("second-call-output");
    assertThat(model.toolResultsSeen("[mid-tool]")).contains(RETRIED);
    assertStaysIn(cluster, "midtool-run", AgentRunPhase.Succeeded);
  }
}
