package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.LocalClusterExtension.NS;
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

/** Runs survive a killed runner process and a restarted operator (real processes throughout). */
class RunResilienceE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("resilience").applying(MODEL_KEY_SECRET);

  @Test
  void shouldResumeFromTheCheckpointWhenTheRunnerIsKilledWithoutRerunningRecordedToolCalls()
      throws Exception {
    // given a run whose second tool call is still running
    model.script("[resume]",
        call("shell", args("command", "echo one >> calls.log")),
        call("shell", args("command",
            "echo two >> calls.log; if [ ! -f .killed ]; then touch .killed; sleep 120; fi")),
        say("Both calls ran; the second one twice, because the first attempt was killed."));
    cluster.apply(session("resume", model, null) + run("resume-run", "resume", "[resume] go"));
    Path workspace = cluster.workspace("resume");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).until(() -> Files.exists(workspace.resolve(".killed")));
    ProcessHandle runner =
        cluster.cluster().pods().process(NS, "resume-sandbox", "runner").orElseThrow();

    // when the runner process is killed with SIGKILL
    runner.destroyForcibly();

    // then the pod restarts it, the run resumes from its checkpoint and succeeds on attempt 2
    AgentRun run = cluster.awaitPhase("resume-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(2);
    assertThat(runner.isAlive()).isFalse();
    assertThat(cluster.pod("resume-sandbox").orElseThrow().getStatus().getContainerStatuses()
        .stream().filter(c -> c.getName().equals("runner")).findFirst().orElseThrow()
        .getRestartCount()).isEqualTo(1);
    List<String> calls = Files.readAllLines(workspace.resolve("calls.log"));
    assertThat(calls).as("the first call's result was recorded: it must not run again")
        .containsOnlyOnce("one");
    assertThat(calls).contains("two");
    List<JsonNode> events = cluster.runnerEvents("resume", run);
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("tool.called")
        && e.path("data").path("callId").asText().equals("call_1_1"))).hasSize(1);
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("run.started")))
        .hasSize(2);
  }

  @Test
  void shouldCompleteTheRunAcrossAnOperatorRestartDispatchingItOnce() throws Exception {
    // given a run waiting inside a tool call
    model.script("[restart]",
        call("shell", args("command", "touch started; while [ ! -f go ]; do sleep 0.2; done")),
        say("Finished while the operator was away."));
    cluster.apply(session("restart", model, null) + run("restart-run", "restart", "[restart] go"));
    Path workspace = cluster.workspace("restart");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).until(() -> Files.exists(workspace.resolve("started")));
    cluster.awaitPhase("restart-run", AgentRunPhase.Running);

    // when the operator stops, the run finishes meanwhile, and the operator starts again
    cluster.cluster().stopOperator();
    Files.writeString(workspace.resolve("go"), "");
    await().atMost(Duration.ofSeconds(60)).until(() -> model.requests("[restart]").size() == 2);
    cluster.cluster().startOperator();

    // then the run is Succeeded, dispatched once
    AgentRun run = cluster.awaitPhase("restart-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    assertThat(run.getStatus().getResult().text()).isEqualTo(
        "Finished while the operator was away.");
    assertThat(cluster.runnerEvents("restart", run).stream()
        .filter(e -> e.path("type").asText().equals("run.started"))).hasSize(1);
  }
}
