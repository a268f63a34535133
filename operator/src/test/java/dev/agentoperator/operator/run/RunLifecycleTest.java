package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.RunLimitsSpec;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The run's transitions that depend on time or attempts, through observe, decide and act, with a
 * clock the test moves and no pod in the cache.
 */
class RunLifecycleTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final List<String> milestones = new ArrayList<>();
  private final List<String> freed = new ArrayList<>();
  private final RunSettings settings =
      new RunSettings(
          3,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          RunnerEventSource.Settings.defaults());
  private final RunnerClient runner = new RunnerClient(1); // nothing listens: never called here
  private final RunLifecycle lifecycle =
      RunLifecycle.create(
          runner,
          new RunnerEventSource(runner, settings.events()),
          new SessionSandboxes(id -> Optional.empty()),
          new RunStatusFactory(new RunConditions(new Conditions(clock)), clock),
          settings,
          clock,
          run -> null,
          (namespace, session) -> List.of());

  @Test
  void shouldMarkRunTimedOutWhenDeadlineAndGracePass() {
    AgentRun run = run("5m", null);
    AgentRunStatus status = running(null);

    clock.advance(Duration.ofMinutes(5).plusSeconds(29));
    RunLifecycle.Next before = lifecycle.advance(step(run, status));
    clock.advance(Duration.ofSeconds(1));
    RunLifecycle.Next after = lifecycle.advance(step(run, before.status()));

    assertThat(before.recheck()).isEqualTo(Duration.ofSeconds(1));
    assertThat(after.recheck()).isNull();
    AgentRunStatus ended = after.status();
    assertThat(ended.getPhase()).isEqualTo(AgentRunPhase.TimedOut);
    assertThat(ended.getCompletionTime()).isEqualTo("2026-11-22T10:05:30Z");
    assertThat(ended.getMessage()).contains("limits.timeout (300s)");
    assertThat(Conditions.find(ended.getConditions(), "Succeeded"))
        .get()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("TimedOut"));
    assertThat(milestones).containsExactly("TimedOut");
    assertThat(freed).containsExactly("dev");
  }

  @Test
  void shouldWaitForANewPodWhenThePodIsLostBeforeTheAttemptLimit() {
    AgentRunStatus status = running("dev-sandbox").setAttempts(1);

    AgentRunStatus next = lifecycle.advance(step(run("1h", null), status)).status();

    assertThat(next.getPhase()).isEqualTo(AgentRunPhase.Running);
    assertThat(next.getPodName()).isNull();
    assertThat(next.getMessage()).contains("dev-sandbox was lost", "resumes");
    assertThat(milestones).isEmpty();
  }

  @Test
  void shouldFailTheRunWhenThePodIsLostAtTheAttemptLimit() {
    AgentRunStatus status = running("dev-sandbox").setAttempts(3);

    AgentRunStatus next = lifecycle.advance(step(run("1h", null), status)).status();

    assertThat(next.getPhase()).isEqualTo(AgentRunPhase.Failed);
    assertThat(next.getMessage()).contains("dispatched 3 times", "AGENT_OPERATOR_MAX_ATTEMPTS");
    assertThat(Conditions.find(next.getConditions(), "Succeeded"))
        .get()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("PodLost"));
    assertThat(milestones).containsExactly("Failed");
  }

  @Test
  void shouldLeaveTheObservedStatusUnchanged() {
    AgentRunStatus status = running("dev-sandbox").setAttempts(3);
    AgentRunStatus copy = RunStatusFactory.draft(status);

    lifecycle.advance(step(run("1h", null), status));

    assertThat(status).isEqualTo(copy);
  }

  @Test
  void shouldForgetAnEndedRun() {
    AgentRun run = run("1h", null);
    RunMemories memories = new RunMemories(new RunnerEventSource(runner, settings.events()));
    memories.of(ResourceID.fromResource(run)).rememberPod("pod-uid");

    memories.forget(ResourceID.fromResource(run));

    assertThat(memories.size()).isZero();
    assertThat(memories.of(ResourceID.fromResource(run)).snapshot())
        .isEqualTo(RunMemory.Snapshot.EMPTY);
  }

  @Test
  void shouldCountTheTtlFromTheCompletionTime() {
    AgentRun run = run("1h", 60L);
    AgentRunStatus status = new AgentRunStatus().setCompletionTime(START.toString());

    clock.advance(Duration.ofSeconds(45));
    assertThat(lifecycle.ttlRemaining(run, status)).isEqualTo(Duration.ofSeconds(15));
    clock.advance(Duration.ofSeconds(20));
    assertThat(lifecycle.ttlRemaining(run, status)).isZero();
    assertThat(lifecycle.ttlRemaining(run("1h", null), status)).isNull();
  }

  private AgentRunStatus running(String podName) {
    AgentRunStatus status =
        new AgentRunStatus()
            .setPhase(AgentRunPhase.Running)
            .setSession("dev")
            .setPodName(podName)
            .setAttempts(1)
            .setStartTime(START.toString());
    new RunConditions(new Conditions(clock)).forPhase(status, AgentRunPhase.Running, null, 1L);
    return status;
  }

  private RunLifecycle.Step step(AgentRun run, AgentRunStatus status) {
    MilestoneEvents events =
        new MilestoneEvents(null, clock) {
          @Override
          public void record(AgentRun r, Milestone milestone, String message) {
            milestones.add(milestone.name());
          }
        };
    return new RunLifecycle.Step(run, status, null, events, null, freed::add);
  }

  static AgentRun run(String timeout, Long ttl) {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("r")
            .withNamespace("ns")
            .withUid("uid-1")
            .withGeneration(1L)
            .build());
    run.setSpec(
        AgentRunSpec.builder()
            .sessionRef(new SessionRef("dev"))
            .prompt("do it")
            .limits(RunLimitsSpec.builder().timeout(timeout).build())
            .ttlSecondsAfterFinished(ttl)
            .build());
    return run;
  }
}
