package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import dev.agentoperator.operator.run.RunObservation.PodState;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.runnerclient.RunnerReply.Outcome;
import dev.agentoperator.operator.runnerclient.RunnerReply;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.MutableClock;
import dev.agentoperator.operator.testing.Resources;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decide step as a table: a phase and an observation in, the next phase and the actions out.
 * Pure: no client, no runner, a clock the test holds.
 */
class RunDeciderTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final String POD = "dev-sandbox";
  private static final String POD_UID = "pod-uid-1";

  private final MutableClock clock = new MutableClock(NOW);
  private final RunConditions conditions = new RunConditions(new Conditions(clock));
  private final RunDecider decider =
      new RunDecider(
          new RunStatusFactory(conditions, clock),
          new RunSettings(
              3,
              Duration.ofSeconds(1),
              Duration.ofSeconds(30),
              Duration.ofSeconds(10),
              RunnerEventSource.Settings.defaults()),
          clock);

  /** One row: what was seen, and the phase and action kinds the decision must come to. */
  record Row(
      String given, Observed seen, AgentRunPhase phase, List<Class<? extends RunAction>> actions) {
    @Override
    public String toString() {
      return given;
    }
  }

  static Stream<Arguments> table() {
    return Stream.of(
            new Row(
                "new run + pod ready + first in line → dispatch",
                waiting(null).pod(ready()),
                null,
                List.of(RunAction.Dispatch.class)),
            new Row(
                "queued + pod ready + session idle → dispatch",
                waiting(AgentRunPhase.Queued).pod(ready()),
                AgentRunPhase.Queued,
                List.of(RunAction.Dispatch.class)),
            new Row(
                "new run + pod not ready → queued, with an Event",
                waiting(null).pod(notReady()),
                AgentRunPhase.Queued,
                List.of(RunAction.RecordMilestone.class)),
            new Row(
                "queued + another run holds the session → stays queued, no Event",
                waiting(AgentRunPhase.Queued).pod(ready()).queue("other", 2),
                AgentRunPhase.Queued,
                List.of()),
            new Row(
                "queued + session suspended → stays queued",
                waiting(AgentRunPhase.Queued).pod(ready()).session(suspended()),
                AgentRunPhase.Queued,
                List.of()),
            new Row(
                "queued + cancel → cancelled before it started",
                waiting(AgentRunPhase.Queued).spec(s -> withCancel(s)),
                AgentRunPhase.Cancelled,
                List.of(
                    RunAction.ForgetRun.class,
                    RunAction.RecordMilestone.class,
                    RunAction.FreeSession.class)),
            new Row(
                "never started + timeout passed since creation + pod not ready → Failed"
                    + " SandboxUnavailable",
                waiting(AgentRunPhase.Queued).pod(notReady()).createdAgo(Duration.ofHours(2)),
                AgentRunPhase.Failed,
                List.of(
                    RunAction.ForgetRun.class,
                    RunAction.RecordMilestone.class,
                    RunAction.FreeSession.class)),
            new Row(
                "running + cancel → cancel in the runner, Cancelled",
                running().spec(s -> withCancel(s)),
                AgentRunPhase.Cancelled,
                List.of(
                    RunAction.CancelInRunner.class,
                    RunAction.ForgetRun.class,
                    RunAction.RecordMilestone.class,
                    RunAction.FreeSession.class)),
            new Row(
                "running + timeout and grace passed → cancel in the runner, TimedOut",
                running().startedAgo(Duration.ofHours(1).plusSeconds(30)),
                AgentRunPhase.TimedOut,
                List.of(
                    RunAction.CancelInRunner.class,
                    RunAction.ForgetRun.class,
                    RunAction.RecordMilestone.class,
                    RunAction.FreeSession.class)),
            new Row(
                "running + pod gone, attempts left → waits to resume",
                running().pod(null),
                AgentRunPhase.Running,
                List.of(RunAction.LosePod.class)),
            new Row(
                "running + pod gone at the attempt limit → Failed",
                running().pod(null).attempts(3),
                AgentRunPhase.Failed,
                List.of(
                    RunAction.ForgetRun.class,
                    RunAction.RecordMilestone.class,
                    RunAction.FreeSession.class)),
            new Row(
                "running + pod replaced (another uid) → waits to resume",
                running().pod(ready("other-uid")),
                AgentRunPhase.Running,
                List.of(RunAction.LosePod.class)),
            new Row(
                "running + pod being deleted → waits to resume",
                running().pod(deleting()),
                AgentRunPhase.Running,
                List.of(RunAction.LosePod.class)),
            new Row(
                "running without pod (lost earlier) + pod ready → resume",
                running().podName(null).pod(ready()),
                AgentRunPhase.Running,
                List.of(RunAction.Dispatch.class)),
            new Row(
                "running without pod + pod not ready → waits",
                running().podName(null).pod(notReady()),
                AgentRunPhase.Running,
                List.of()),
            new Row(
                "running + pod starting → waits",
                running().pod(notReady()),
                AgentRunPhase.Running,
                List.of()),
            new Row(
                "running + runner restarted in the pod → waits to resume",
                running().summary(ok(summary("Running").interrupted())),
                AgentRunPhase.Running,
                List.of(RunAction.LosePod.class)),
            new Row(
                "running + runner does not know the run → waits to resume",
                running().summary(failed(Outcome.NOT_FOUND)),
                AgentRunPhase.Running,
                List.of(RunAction.LosePod.class)),
            new Row(
                "running + runner refuses the token → forget it",
                running().summary(failed(Outcome.UNAUTHORIZED)),
                AgentRunPhase.Running,
                List.of(RunAction.ForgetToken.class)),
            new Row(
                "running + runner unreachable → waits",
                running().summary(failed(Outcome.UNREACHABLE)),
                AgentRunPhase.Running,
                List.of()),
            new Row(
                "running + runner progresses → running, steps remembered",
                running().summary(ok(summary("Running"))),
                AgentRunPhase.Running,
                List.of(RunAction.RememberSteps.class)),
            new Row(
                "running + runner asks approval → AwaitingApproval, with an Event",
                running().summary(ok(summary("AwaitingApproval").pending("approval-1"))),
                AgentRunPhase.AwaitingApproval,
                List.of(RunAction.RememberSteps.class, RunAction.RecordMilestone.class)),
            new Row(
                "awaiting approval + approval in spec → forward",
                awaitingApproval("approval-1")
                    .spec(s -> withApproval(s, "approval-1"))
                    .summary(ok(summary("AwaitingApproval").pending("approval-1"))),
                AgentRunPhase.AwaitingApproval,
                List.of(RunAction.ForwardApproval.class, RunAction.RememberSteps.class)),
            new Row(
                "awaiting approval + approval forwarded before → not again",
                awaitingApproval("approval-1")
                    .spec(s -> withApproval(s, "approval-1"))
                    .forwarded("approval-1")
                    .summary(ok(summary("AwaitingApproval").pending("approval-1"))),
                AgentRunPhase.AwaitingApproval,
                List.of(RunAction.RememberSteps.class)),
            new Row(
                "awaiting approval + answer for another call → not forwarded",
                awaitingApproval("approval-1")
                    .spec(s -> withApproval(s, "approval-9"))
                    .summary(ok(summary("AwaitingApproval").pending("approval-1"))),
                AgentRunPhase.AwaitingApproval,
                List.of(RunAction.RememberSteps.class)),
            new Row(
                "running + runner succeeded → Succeeded, session freed",
                running().summary(ok(summary("Succeeded"))),
                AgentRunPhase.Succeeded,
                List.of(
                    RunAction.RememberSteps.class,
                    RunAction.ForgetRun.class,
                    RunAction.RecordMilestone.class,
                    RunAction.FreeSession.class)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void shouldDecideThePhaseAndActionsTheTableGives(Row row) {
    RunObservation seen = row.seen().build(clock, conditions);
    AgentRunStatus before = RunStatusFactory.draft(seen.status());

    RunDecision decision = decider.decide(seen);

    assertThat(decision.status().getPhase()).as(row.given()).isEqualTo(row.phase());
    assertThat(decision.actions().stream().map(Object::getClass).toList())
        .as(row.given())
        .isEqualTo(row.actions());
    assertThat(seen.status()).as("the observed status is not edited").isEqualTo(before);
  }

  /** The runner's answer to a dispatch, as a table too. */
  static Stream<Arguments> dispatchTable() {
    return Stream.of(
        Arguments.of(
            "created → Running, pod remembered, Started",
            reply(Outcome.CREATED, summary("Running")),
            AgentRunPhase.Running,
            List.of(
                RunAction.RememberPod.class,
                RunAction.RecordMilestone.class,
                RunAction.RememberSteps.class)),
        Arguments.of(
            "busy with another run → queued",
            failed(Outcome.CONFLICT),
            AgentRunPhase.Queued,
            List.of(RunAction.RecordMilestone.class)),
        Arguments.of(
            "token refused → forget it, queued",
            failed(Outcome.UNAUTHORIZED),
            AgentRunPhase.Queued,
            List.of(RunAction.ForgetToken.class, RunAction.RecordMilestone.class)),
        Arguments.of(
            "request refused → Failed RunnerRejected",
            failed(Outcome.BAD_REQUEST),
            AgentRunPhase.Failed,
            List.of(
                RunAction.ForgetRun.class,
                RunAction.RecordMilestone.class,
                RunAction.FreeSession.class)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dispatchTable")
  void shouldDecideOnTheRunnersAnswerToADispatch(
      String given,
      RunnerReply<RunSummary> reply,
      AgentRunPhase phase,
      List<Class<? extends RunAction>> actions) {
    RunObservation seen = waiting(null).pod(ready()).build(clock, conditions);
    RunDecision first = decider.decide(seen);

    RunDecision next =
        decider.dispatched(seen, first, new DispatchResult.Replied(reply, List.of()));

    assertThat(next.status().getPhase()).as(given).isEqualTo(phase);
    assertThat(next.actions().stream().map(Object::getClass).toList()).as(given).isEqualTo(actions);
  }

  @Test
  void shouldCountAttemptsAndKeepTheStartTimeWhenAResumeIsCreated() {
    RunObservation seen =
        running().podName(null).pod(ready()).attempts(1).build(clock, conditions);
    RunDecision first = decider.decide(seen);

    RunDecision next =
        decider.dispatched(
            seen,
            first,
            new DispatchResult.Replied(reply(Outcome.CREATED, summary("Running")), List.of()));

    assertThat(next.status().getAttempts()).isEqualTo(2);
    assertThat(next.status().getPodName()).isEqualTo(POD);
    assertThat(next.status().getStartTime()).isEqualTo(seen.status().getStartTime());
    assertThat(next.actions())
        .contains(
            new RunAction.RecordMilestone(
                MilestoneEvents.Milestone.Resumed, "resumed on pod dev-sandbox (attempt 2)"));
  }

  @Test
  void shouldWaitInItsPhaseWhenAResumedRunsSessionCannotBeRead() {
    RunObservation seen = running().podName(null).pod(ready()).build(clock, conditions);

    RunDecision next =
        decider.dispatched(
            seen, decider.decide(seen), new DispatchResult.SessionUnreadable());

    assertThat(next.status().getPhase()).isEqualTo(AgentRunPhase.Running);
    assertThat(next.status().getMessage()).contains("waiting for AgentSession 'dev'");
    assertThat(next.recheck()).isEqualTo(RunDecider.RETRY_SOON);
  }

  @Test
  void shouldFoldStepsOntoTheRememberedOnesNotTheCachedStatus() {
    RunEvent called =
        new RunEvent(
            3,
            EventType.TOOL_CALLED,
            "2026-11-22T10:00:00Z",
            "uid-1",
            io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
                .createObjectNode()
                .put("step", 3)
                .put("tool", "shell")
                .put("argument", "ls"));
    RunObservation seen =
        running()
            .rememberedSteps(
                List.of(new dev.agentoperator.operator.api.v1alpha1.StepSummary(2, "answered")))
            .events(List.of(called))
            .summary(ok(summary("Running")))
            .build(clock, conditions);

    RunDecision decision = decider.decide(seen);

    assertThat(decision.status().getRecentSteps())
        .extracting(s -> s.step() + " " + s.summary())
        .containsExactly("2 answered", "3 shell: ls");
  }

  @Test
  void shouldKeepTheAcceptedTransitionTimeWhenTheRunEnds() {
    RunObservation seen = running().summary(ok(summary("Succeeded"))).build(clock, conditions);
    String acceptedAt =
        Conditions.find(seen.status().getConditions(), "Accepted")
            .orElseThrow()
            .getLastTransitionTime();

    clock.advance(Duration.ofMinutes(2));
    AgentRunStatus ended = decider.decide(seen).status();

    assertThat(
            Conditions.find(ended.getConditions(), "Accepted")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo(acceptedAt);
    assertThat(
            Conditions.find(ended.getConditions(), "Running")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo("2026-11-22T10:02:00Z");
  }

  // --- the observations of the table ---

  @Test
  void shouldTellAWaitingRunWhatKeepsTheSessionsPodFromReady() {
    // given a session whose PodReady says a ConfigMap is missing, then the runner's own reason
    for (String[] podReady :
        List.of(
            new String[] {
              "MissingReference",
              "the pod cannot start: ConfigMap 'quickstart-cassette' does not exist in namespace ns"
            },
            new String[] {
              "RunnerNotReady",
              "the runner is not ready: the workspace /data/workspace is not writable by this"
                  + " process"
            },
            new String[] {
              "CrashLoopBackOff",
              "the pod cannot start: init container init-workspace CrashLoopBackOff (exit code 1):"
                  + " fatal: unsupported URL scheme 'ftp'"
            })) {
      AgentSession session = sessionSpecSuspended(false);
      session.setStatus(
          new dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus()
              .setConditions(
                  new Conditions(clock)
                      .set(
                          List.of(),
                          "PodReady",
                          dev.agentoperator.operator.status.ConditionStatus.False,
                          podReady[0],
                          podReady[1],
                          1L)));

      // when a new run waits for that pod
      RunDecision decision =
          decider.decide(waiting(null).session(session).build(clock, conditions));

      // then its message says why
      assertThat(decision.status().getPhase()).isEqualTo(AgentRunPhase.Queued);
      assertThat(decision.status().getMessage()).contains(podReady[0]).contains(podReady[1]);
    }
  }

  private static Observed waiting(AgentRunPhase phase) {
    return new Observed().phase(phase).podName(null).attempts(null).started(null);
  }

  private static Observed running() {
    return new Observed().pod(ready());
  }

  private static Observed awaitingApproval(String id) {
    return running()
        .phase(AgentRunPhase.AwaitingApproval)
        .pendingInStatus(id);
  }

  /** A builder of observations; by default a run Running in its ready pod, started now. */
  static final class Observed {
    private AgentRunPhase phase = AgentRunPhase.Running;
    private String podName = POD;
    private Integer attempts = 1;
    private Instant started = NOW;
    private Instant created = NOW;
    private Pod pod;
    private AgentSession session = sessionSpecSuspended(false);
    private RunObservation.Queue queue = new RunObservation.Queue(null, 1);
    private RunnerReply<RunSummary> summary;
    private UnaryOperator<AgentRunSpec> spec = s -> s;
    private Set<String> forwarded = Set.of();
    private List<dev.agentoperator.operator.api.v1alpha1.StepSummary> steps;
    private List<RunEvent> events = List.of();
    private String pendingInStatus;

    Observed phase(AgentRunPhase p) {
      phase = p;
      return this;
    }

    Observed podName(String name) {
      podName = name;
      return this;
    }

    Observed attempts(Integer n) {
      attempts = n;
      return this;
    }

    Observed started(Instant at) {
      started = at;
      return this;
    }

    Observed startedAgo(Duration ago) {
      started = NOW.minus(ago);
      return this;
    }

    Observed createdAgo(Duration ago) {
      created = NOW.minus(ago);
      return this;
    }

    Observed pod(Pod p) {
      pod = p;
      return this;
    }

    Observed session(AgentSession s) {
      session = s;
      return this;
    }

    Observed queue(String holder, int position) {
      queue = new RunObservation.Queue(holder, position);
      return this;
    }

    Observed summary(RunnerReply<RunSummary> reply) {
      summary = reply;
      return this;
    }

    Observed spec(UnaryOperator<AgentRunSpec> edit) {
      spec = edit;
      return this;
    }

    Observed forwarded(String id) {
      forwarded = Set.of(id);
      return this;
    }

    Observed rememberedSteps(List<dev.agentoperator.operator.api.v1alpha1.StepSummary> s) {
      steps = s;
      return this;
    }

    Observed events(List<RunEvent> e) {
      events = e;
      return this;
    }

    Observed pendingInStatus(String id) {
      pendingInStatus = id;
      return this;
    }

    RunObservation build(MutableClock clock, RunConditions conditions) {
      AgentRun run = RunLifecycleTest.run("1h", null);
      run.getMetadata().setCreationTimestamp(created.toString());
      run.setSpec(spec.apply(run.getSpec()));
      AgentRunStatus status =
          new AgentRunStatus()
              .setPhase(phase)
              .setSession(phase == null ? null : "dev")
              .setPodName(podName)
              .setAttempts(attempts)
              .setStartTime(started == null ? null : started.toString());
      if (pendingInStatus != null) {
        status.setPendingApprovals(
            List.of(new PendingApproval(pendingInStatus, "shell", "git push", NOW.toString())));
      }
      if (phase != null) {
        conditions.forPhase(status, phase, null, 1L);
      }
      boolean holds = phase != null && phase.isActive();
      return new RunObservation(
          run,
          status,
          session,
          pod,
          PodState.of(pod, holds ? podName : null, holds ? POD_UID : null),
          holds ? null : queue,
          summary,
          events,
          new RunMemory.Snapshot(holds ? POD_UID : null, forwarded, null, steps),
          java.util.Optional.ofNullable(session),
          java.util.Optional.empty());
    }
  }

  private static AgentRunSpec withCancel(AgentRunSpec s) {
    return s.toBuilder().cancel(true).build();
  }

  private static AgentRunSpec withApproval(AgentRunSpec s, String id) {
    return s.toBuilder()
        .approvals(List.of(new Approval(id, ApprovalDecision.approve, "fine", "alice")))
        .build();
  }

  private static AgentSession sessionSpecSuspended(boolean suspend) {
    AgentSessionSpec base = Resources.sessionSpec();
    AgentSession session = new AgentSession();
    session.setMetadata(new ObjectMetaBuilder().withName("dev").withNamespace("ns").build());
    session.setSpec(
        base.toBuilder().suspend(suspend).build());
    return session;
  }

  private static AgentSession suspended() {
    return sessionSpecSuspended(true);
  }

  private static Pod ready() {
    return ready(POD_UID);
  }

  private static Pod ready(String uid) {
    return new PodBuilder(notReady())
        .editMetadata()
        .withUid(uid)
        .endMetadata()
        .editStatus()
        .withPodIP("10.0.0.7")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod notReady() {
    return new PodBuilder()
        .withNewMetadata()
        .withName(POD)
        .withNamespace("ns")
        .withUid(POD_UID)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private static Pod deleting() {
    return new PodBuilder(ready())
        .editMetadata()
        .withDeletionTimestamp(NOW.toString())
        .endMetadata()
        .build();
  }

  /** A runner summary under construction. */
  static final class Summary {
    private final String phase;
    private boolean interrupted;
    private List<RunSummary.PendingApproval> pending = List.of();

    Summary(String phase) {
      this.phase = phase;
    }

    Summary interrupted() {
      interrupted = true;
      return this;
    }

    Summary pending(String id) {
      pending = List.of(new RunSummary.PendingApproval(id, "shell", "git push", NOW.toString()));
      return this;
    }

    RunSummary build() {
      boolean done = phase.equals("Succeeded");
      return new RunSummary(
          "uid-1",
          phase,
          done ? "Completed" : null,
          done ? "done" : null,
          2,
          1,
          new Usage(10, 5, 15, false),
          pending,
          null,
          null,
          4,
          NOW.toString(),
          done ? NOW.toString() : null,
          interrupted,
          null,
          null,
          List.of());
    }
  }

  private static Summary summary(String phase) {
    return new Summary(phase);
  }

  private static RunnerReply<RunSummary> ok(Summary summary) {
    return reply(Outcome.OK, summary);
  }

  private static RunnerReply<RunSummary> reply(Outcome outcome, Summary summary) {
    return new RunnerReply<>(outcome, 200, summary.build(), null, null);
  }

  private static RunnerReply<RunSummary> failed(Outcome outcome) {
    return new RunnerReply<>(outcome, 0, null, "no", "run-x");
  }
}
