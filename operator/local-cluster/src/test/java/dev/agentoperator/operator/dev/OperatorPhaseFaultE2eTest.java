package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.FaultChecks.assertEndedOnce;
import static dev.agentoperator.operator.dev.FaultChecks.assertNoDuplicateEntries;
import static dev.agentoperator.operator.dev.FaultChecks.assertOneTerminalEvent;
import static dev.agentoperator.operator.dev.FaultChecks.assertStaysIn;
import static dev.agentoperator.operator.dev.FaultChecks.count;
import static dev.agentoperator.operator.dev.FaultChecks.lines;
import static dev.agentoperator.operator.dev.FaultChecks.transcript;
import static dev.agentoperator.operator.dev.ScriptedModel.Fault.slow;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator stopped (as when its pod dies) at each phase of a run, and started again: while
 * the run is queued behind another, while it is being dispatched, while it runs, while it awaits
 * approval, and while its last model call is in flight so the runner finishes it alone. Runners
 * keep running throughout. Each run ends in exactly one terminal phase, dispatched once
 * ({@code attempts: 1}, one {@code run.started}), each tool call run once.
 */
class OperatorPhaseFaultE2eTest {

  private static final Duration WAIT = LocalClusterExtension.RUN_TIMEOUT;

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("operator-phase-fault").applying(MODEL_KEY_SECRET);

  /** A failed test must not leave the next one without an operator. */
  @AfterEach
  void operatorRunsAgain() {
    try {
      cluster.cluster().startOperator();
    } catch (IllegalStateException alreadyRunning) {
      // the test started it again itself
    }
  }

  @Test
  void shouldDispatchAQueuedRunOnceWhenTheOperatorComesBackAfterTheRunAheadFinished()
      throws Exception {
    // given run A holding the session inside a tool call, and run B queued behind it
    model.script("[queue-a]",
        call("shell", args("command",
            "touch a-started; while [ ! -f go-a ]; do sleep 0.2; done; echo a >> calls.log")),
        say("A done."));
    model.script("[queue-b]", call("shell", args("command", "echo b >> calls.log")),
        say("B done."));
    cluster.apply(session("queue", model, null) + run("queue-a-run", "queue", "[queue-a] go"));
    Path workspace = cluster.workspace("queue");
    await().atMost(WAIT).until(() -> Files.exists(workspace.resolve("a-started")));
    cluster.awaitPhase("queue-a-run", AgentRunPhase.Running);
    cluster.apply(run("queue-b-run", "queue", "[queue-b] go"));
    cluster.awaitPhase("queue-b-run", AgentRunPhase.Queued);

    // when the operator stops, A finishes in its runner meanwhile, and the operator starts again
    cluster.cluster().stopOperator();
    Files.writeString(workspace.resolve("go-a"), "");
    await().atMost(WAIT).until(() -> model.requests("[queue-a]").size() == 2);
    assertThat(cluster.run("queue-b-run").getStatus().getPhase())
        .isEqualTo(AgentRunPhase.Queued);
    assertThat(model.requests("[queue-b]")).as("nothing dispatches B while the operator is away")
        .isEmpty();
    cluster.cluster().startOperator();

    // then A is recorded as it ended, B is dispatched once after it, and each call ran once
    AgentRun a = cluster.awaitPhase("queue-a-run", AgentRunPhase.Succeeded);
    AgentRun b = cluster.awaitPhase("queue-b-run", AgentRunPhase.Succeeded);
    assertThat(a.getStatus().getAttempts()).isEqualTo(1);
    assertThat(b.getStatus().getAttempts()).isEqualTo(1);
    assertThat(b.getStatus().getResult().text()).isEqualTo("B done.");
    assertThat(lines(workspace.resolve("calls.log"))).containsExactly("a", "b");
    for (AgentRun run : List.of(a, b)) {
      List<JsonNode> events = cluster.runnerEvents("queue", run);
      assertThat(count(events, "run.started")).isEqualTo(1);
      assertThat(count(events, "tool.called")).isEqualTo(1);
      assertOneTerminalEvent(events, "run.succeeded");
      assertNoDuplicateEntries(transcript(cluster, "queue", run));
    }
    assertStaysIn(cluster, "queue-b-run", AgentRunPhase.Succeeded);
  }

  @Test
  void shouldNotDispatchTwiceWhenTheOperatorStopsWhileDispatching() throws Exception {
    // given a run the runner has just taken: its first model call is in flight (answered in 4 s),
    // so the operator may or may not have written Running yet
    model.faults("[dispatching]", slow(Duration.ofSeconds(4)));
    model.script("[dispatching]",
        call("shell", args("command", "echo ran >> calls.log")), say("Dispatched once."));
    cluster.apply(session("dispatching", model, null)
        + run("dispatching-run", "dispatching", "[dispatching] go"));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> !model.requests("[dispatching]").isEmpty());

    // when the operator stops at once and starts again
    cluster.cluster().stopOperator();
    cluster.cluster().startOperator();

    // then the run is not dispatched again: one attempt, one run.started, the tool ran once
    AgentRun run = cluster.awaitPhase("dispatching-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Dispatched once.");
    assertThat(lines(cluster.workspace("dispatching").resolve("calls.log")))
        .containsExactly("ran");
    assertThat(model.requests("[dispatching]")).hasSize(2);
    assertEndedOnce(cluster, "dispatching", run, 1);
  }

  @Test
  void shouldFollowARunningRunAgainAfterTheOperatorRestartsInTheMiddleOfIt() throws Exception {
    // given a run inside a tool call
    model.script("[running]",
        call("shell", args("command",
            "touch started; while [ ! -f go ]; do sleep 0.2; done; echo ran >> calls.log")),
        say("Followed to the end."));
    cluster.apply(session("running", model, null)
        + run("running-run", "running", "[running] go"));
    Path workspace = cluster.workspace("running");
    await().atMost(WAIT).until(() -> Files.exists(workspace.resolve("started")));
    cluster.awaitPhase("running-run", AgentRunPhase.Running);

    // when the operator stops and starts again while the call still runs, then the call ends
    cluster.cluster().stopOperator();
    cluster.cluster().startOperator();
    assertThat(cluster.run("running-run").getStatus().getPhase())
        .isEqualTo(AgentRunPhase.Running);
    Files.writeString(workspace.resolve("go"), "");

    // then the new operator follows the same dispatch to its end
    AgentRun run = cluster.awaitPhase("running-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Followed to the end.");
    assertThat(lines(workspace.resolve("calls.log"))).containsExactly("ran");
    List<JsonNode> events = assertEndedOnce(cluster, "running", run, 1);
    assertThat(count(events, "tool.called")).isEqualTo(1);
  }

  @Test
  void shouldDeliverAnApprovalGivenWhileTheOperatorIsDownAndRunTheCallOnce() throws Exception {
    // given a run waiting for a person's approval
    model.script("[approval-down]",
        call("shell", args("command", "touch approved-while-down; echo ran >> calls.log")),
        say("Approved while the operator was away."));
    cluster.apply(session("approval", model, null)
        + run("approval-run", "approval", "[approval-down] go"));
    AgentRun waiting = cluster.awaitPhase("approval-run", AgentRunPhase.AwaitingApproval);
    PendingApproval pending = waiting.getStatus().getPendingApprovals().getFirst();

    // when the operator stops, the person approves meanwhile, and the operator starts again
    cluster.cluster().stopOperator();
    cluster.answer("approval-run", pending.id(), ApprovalDecision.approve, "fine");
    assertThat(cluster.workspace("approval").resolve("calls.log"))
        .as("nobody forwards the approval while the operator is away").doesNotExist();
    cluster.cluster().startOperator();

    // then the approval reaches the runner once and the call runs once
    AgentRun run = cluster.awaitPhase("approval-run", AgentRunPhase.Succeeded);
    assertThat(lines(cluster.workspace("approval").resolve("calls.log"))).containsExactly("ran");
    List<JsonNode> events = assertEndedOnce(cluster, "approval", run, 1);
    assertThat(count(events, "approval.required")).isEqualTo(1);
    assertThat(count(events, "approval.resolved")).isEqualTo(1);
    assertThat(count(events, "tool.called")).isEqualTo(1);
  }

  @Test
  void shouldRecordARunThatFinishedWhileTheOperatorWasDownOnce() throws Exception {
    // given a run whose last model call is in flight (its final answer comes after 3 s)
    model.faults("[finishing]", slow(Duration.ZERO), slow(Duration.ofSeconds(3)));
    model.script("[finishing]",
        call("shell", args("command", "echo ran >> calls.log")), say("Finished alone."));
    cluster.apply(session("finishing", model, null)
        + run("finishing-run", "finishing", "[finishing] go"));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> model.requests("[finishing]").size() == 2);

    // when the operator stops, the runner finishes the run meanwhile, and the operator starts
    cluster.cluster().stopOperator();
    AgentRun before = cluster.run("finishing-run");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
        count(cluster.runnerEvents("finishing", before), "run.succeeded") == 1);
    assertThat(cluster.run("finishing-run").getStatus().getPhase())
        .isEqualTo(AgentRunPhase.Running);
    cluster.cluster().startOperator();

    // then the run is Succeeded once with the runner's result, never dispatched again
    AgentRun run = cluster.awaitPhase("finishing-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Finished alone.");
    assertThat(lines(cluster.workspace("finishing").resolve("calls.log")))
        .containsExactly("ran");
    assertEndedOnce(cluster, "finishing", run, 1);
  }
}
