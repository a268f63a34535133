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

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults around the sandbox boundary, through the local cluster with real runner and executor
 * processes: the sandbox container dying in the middle of a tool call, and the operator going away
 * while a run waits for a person. Each run ends in one terminal phase, and no call runs twice.
 */
class SandboxFaultE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("sandbox-fault").applying(MODEL_KEY_SECRET);

  @Test
  void shouldTurnASandboxDyingMidCallIntoAToolErrorAndGoOnAfterItRestarts() throws Exception {
    // given a tool call that is running in the sandbox container
    model.script("[sandbox-dies]",
        call("shell", args("command", "echo first >> calls.log; touch started; sleep 120")),
        call("shell", args("command", "echo second >> calls.log; echo after-restart")),
        say("The sandbox came back."));
    cluster.apply(session("dies", model, null) + run("dies-run", "dies", "[sandbox-dies] go"));
    Path workspace = cluster.workspace("dies");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).until(() -> Files.exists(workspace.resolve("started")));
    ProcessHandle sandbox =
        cluster.cluster().pods().process(NS, "dies-sandbox", "sandbox").orElseThrow();

    // when the sandbox container's process is killed
    sandbox.destroyForcibly();

    // then the call is a tool error, the container restarts, and the next call runs there
    AgentRun run = cluster.awaitPhase("dies-run", AgentRunPhase.Succeeded, AgentRunPhase.Failed);
    assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    String seen = model.toolResultsSeen("[sandbox-dies]");
    assertThat(seen).contains("failed in the sandbox").contains("after-restart");
    assertThat(Files.readAllLines(workspace.resolve("calls.log")))
        .containsExactly("first", "second");
    ContainerStatus status = cluster.pod("dies-sandbox").orElseThrow().getStatus()
        .getContainerStatuses().stream().filter(c -> c.getName().equals("sandbox"))
        .findFirst().orElseThrow();
    assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldKeepAPendingApprovalAcrossAnOperatorRestartAndRunTheCallOnce() throws Exception {
    // given a run waiting for a person's approval
    model.script("[approval-restart]",
        call("shell", args("command", "touch approved-once; echo ran >> approved.log")),
        say("Approved and done."));
    cluster.apply(session("waits", model, null)
        + run("waits-run", "waits", "[approval-restart] go"));
    AgentRun waiting = cluster.awaitPhase("waits-run", AgentRunPhase.AwaitingApproval);
    PendingApproval pending = waiting.getStatus().getPendingApprovals().getFirst();

    // when the operator stops and starts again
    cluster.cluster().stopOperator();
    cluster.cluster().startOperator();

    // then the run still waits for the same approval, and after it the call runs exactly once
    AgentRun after = cluster.awaitPhase("waits-run", AgentRunPhase.AwaitingApproval);
    assertThat(after.getStatus().getPendingApprovals()).extracting(PendingApproval::id)
        .containsExactly(pending.id());
    assertThat(cluster.workspace("waits").resolve("approved.log")).doesNotExist();
    cluster.answer("waits-run", pending.id(), ApprovalDecision.approve, null);
    AgentRun done = cluster.awaitPhase("waits-run", AgentRunPhase.Succeeded);
    assertThat(done.getStatus().getAttempts()).isEqualTo(1);
    assertThat(Files.readAllLines(cluster.workspace("waits").resolve("approved.log")))
        .isEqualTo(List.of("ran"));
  }
}
