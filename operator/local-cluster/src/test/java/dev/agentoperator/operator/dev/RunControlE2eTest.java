package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import dev.agentoperator.operator.dev.cli.RunFollower;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What people do with runs, end to end through real runner processes: cancel, approve and deny,
 * parallel sessions, a queue in one session, an idle session's pod coming back, an invalid run.
 */
class RunControlE2eTest {

  private static final String WAIT_FOR_GO = "touch started; while [ ! -f go ]; do sleep 0.2; done";

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("control").applying(MODEL_KEY_SECRET);

  @Test
  void shouldCancelARunningRunThroughSpecCancel() throws Exception {
    model.script("[cancel]",
        call("shell", args("command", "touch started; sleep 120")),
        say("never reached"));
    cluster.apply(session("cancel", model, null) + run("cancel-run", "cancel", "[cancel] go"));
    Path started = cluster.workspace("cancel").resolve("started");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).until(() -> Files.exists(started));

    cluster.cancel("cancel-run");

    AgentRun run = cluster.awaitPhase("cancel-run", AgentRunPhase.Cancelled);
    assertThat(run.getStatus().getCompletionTime()).isNotNull();
    assertThat(model.requests("[cancel]")).hasSize(1);
  }

  @Test
  void shouldRunTheToolAfterApprovalThroughSpecApprovals() throws Exception {
    model.script("[approve]",
        call("shell", args("command", "touch approved.txt")),
        say("Created approved.txt after approval."));
    cluster.apply(session("approve", model, null) + run("approve-run", "approve", "[approve] go"));
    AgentRun waiting = cluster.awaitPhase("approve-run", AgentRunPhase.AwaitingApproval);
    PendingApproval pending = waiting.getStatus().getPendingApprovals().getFirst();
    assertThat(pending.tool()).isEqualTo("shell");
    assertThat(pending.summary()).contains("touch approved.txt");
    assertThat(cluster.workspace("approve").resolve("approved.txt")).doesNotExist();

    cluster.answer("approve-run", pending.id(), ApprovalDecision.approve, null);

    AgentRun run = cluster.awaitPhase("approve-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getPendingApprovals()).isEmpty();
    assertThat(cluster.workspace("approve").resolve("approved.txt")).exists();
    assertThat(run.getStatus().getResolvedApprovals())
        .singleElement()
        .satisfies(r -> assertThat(r.id()).isEqualTo(pending.id()))
        .satisfies(r -> assertThat(r.decision()).isEqualTo(ApprovalDecision.approve))
        .satisfies(r -> assertThat(r.by()).isEqualTo("e2e-user"));
  }

  @Test
  void shouldGiveTheAgentTheReasonWhenACallIsDenied() throws Exception {
    model.script("[deny]",
        call("shell", args("command", "touch denied.txt")),
        say("Understood, I did not create denied.txt."));
    cluster.apply(session("deny", model, null) + run("deny-run", "deny", "[deny] go"));
    AgentRun waiting = cluster.awaitPhase("deny-run", AgentRunPhase.AwaitingApproval);

    cluster.answer("deny-run", waiting.getStatus().getPendingApprovals().getFirst().id(),
        ApprovalDecision.deny, "not today");

    cluster.awaitPhase("deny-run", AgentRunPhase.Succeeded);
    assertThat(cluster.workspace("deny").resolve("denied.txt")).doesNotExist();
    assertThat(model.toolResultsSeen("[deny]")).contains("not today");
  }

  @Test
  void shouldRunTwoSessionsInParallel() throws Exception {
    model.script("[parallel]", call("shell", args("command", WAIT_FOR_GO)), say("done"));
    cluster.apply(session("par-a", model, null) + session("par-b", model, null)
        + run("par-a-run", "par-a", "[parallel] a") + run("par-b-run", "par-b", "[parallel] b"));

    // both runs are inside their tool call at the same time
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).until(() ->
        Files.exists(cluster.workspace("par-a").resolve("started"))
            && Files.exists(cluster.workspace("par-b").resolve("started")));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(cluster.run("par-a-run").getStatus().getPhase())
          .isEqualTo(AgentRunPhase.Running);
      assertThat(cluster.run("par-b-run").getStatus().getPhase())
          .isEqualTo(AgentRunPhase.Running);
    });

    Files.writeString(cluster.workspace("par-a").resolve("go"), "");
    Files.writeString(cluster.workspace("par-b").resolve("go"), "");
    cluster.awaitPhase("par-a-run", AgentRunPhase.Succeeded);
    cluster.awaitPhase("par-b-run", AgentRunPhase.Succeeded);
  }

  @Test
  void shouldQueueASecondRunInTheSameSessionUntilTheFirstEnds() throws Exception {
    model.script("[queue-first]",
        call("shell", args("command", "echo first was here > order.txt; " + WAIT_FOR_GO)),
        say("first done"));
    model.script("[queue-second]",
        call("read_file", args("path", "order.txt")),
        say("second done"));
    cluster.apply(session("queue", model, null) + run("queue-1", "queue", "[queue-first] go"));
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(cluster.workspace("queue").resolve("started")));
    cluster.apply(run("queue-2", "queue", "[queue-second] go"));

    AgentRun queued = cluster.awaitPhase("queue-2", AgentRunPhase.Queued);
    assertThat(queued.getStatus().getQueuePosition()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        cluster.run("queue-1").getStatus().getPhase()).isEqualTo(AgentRunPhase.Running));

    Files.writeString(cluster.workspace("queue").resolve("go"), "");
    AgentRun first = cluster.awaitPhase("queue-1", AgentRunPhase.Succeeded);
    AgentRun second = cluster.awaitPhase("queue-2", AgentRunPhase.Succeeded);
    assertThat(Instant.parse(second.getStatus().getStartTime()))
        .isAfterOrEqualTo(Instant.parse(first.getStatus().getCompletionTime()));
    assertThat(model.toolResultsSeen("[queue-second]")).contains("first was here");
  }

  @Test
  void shouldStopAnIdlePodAndStartItAgainForTheNextRunWithTheWorkspaceIntact() throws Exception {
    model.script("[idle-write]",
        call("write_file", args("path", "keep.txt", "content", "kept across pods\n")),
        say("written"));
    model.script("[idle-read]", call("read_file", args("path", "keep.txt")), say("read"));
    cluster.apply(session("idle", model, "3s") + run("idle-1", "idle", "[idle-write] go"));
    cluster.awaitPhase("idle-1", AgentRunPhase.Succeeded);
    String firstPod = cluster.pod("idle-sandbox").map(p -> p.getMetadata().getUid()).orElse("");

    // the idle timeout stops the pod
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.pod("idle-sandbox").isEmpty());

    // the next run brings a new pod, which sees the first run's file
    cluster.apply(run("idle-2", "idle", "[idle-read] go"));
    cluster.awaitPhase("idle-2", AgentRunPhase.Succeeded);
    assertThat(model.toolResultsSeen("[idle-read]")).contains("kept across pods");
    Optional<String> secondPod = cluster.pod("idle-sandbox").map(p -> p.getMetadata().getUid());
    assertThat(secondPod).isNotEqualTo(Optional.of(firstPod));
  }

  @Test
  void shouldRejectAnInvalidRunWithAcceptedFalseWhileOthersProceed() throws Exception {
    model.script("[valid]", say("nothing to do"));
    cluster.apply(session("valid", model, null)
        + run("invalid-run", "no-such-session", "[invalid] go")
        + run("valid-run", "valid", "[valid] go"));

    AgentRun valid = cluster.awaitPhase("valid-run", AgentRunPhase.Succeeded);
    assertThat(valid.getStatus().getResult().text()).isEqualTo("nothing to do");
    AgentRun invalid = await().atMost(Duration.ofSeconds(30))
        .until(() -> cluster.run("invalid-run"), RunFollower::rejected);
    assertThat(invalid.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Accepted")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getMessage()).contains("no-such-session");
        });
  }
}
