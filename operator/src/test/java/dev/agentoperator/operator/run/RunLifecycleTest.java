package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.RunLimitsSpec;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import dev.agentoperator.operator.runner.RunnerClient;
import dev.agentoperator.operator.runner.RunnerEventSource;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The run's transitions that depend on time or attempts, with a clock the test moves. */
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
      new RunLifecycle(
          runner,
          new RunnerEventSource(runner, settings.events()),
          new SessionSandboxes(id -> Optional.empty()),
          new RunConditions(new Conditions(clock)),
          settings,
          clock);

  @Test
  void shouldMarkRunTimedOutWhenDeadlineAndGracePass() {
    AgentRun run = run("5m", null);
    AgentRunStatus status = running(null);

    clock.advance(Duration.ofMinutes(5).plusSeconds(29));
    Duration before = lifecycle.active(step(run, status), null);
    clock.advance(Duration.ofSeconds(1));
    Duration after = lifecycle.active(step(run, status), null);

    assertThat(before).isEqualTo(Duration.ofSeconds(1));
    assertThat(after).isNull();
    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.TimedOut);
    assertThat(status.getCompletionTime()).isEqualTo("2026-11-22T10:05:30Z");
    assertThat(status.getMessage()).contains("limits.timeout (300s)");
    assertThat(Conditions.find(status.getConditions(), "Succeeded"))
        .get()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("TimedOut"));
    assertThat(milestones).containsExactly("TimedOut");
    assertThat(freed).containsExactly("dev");
  }

  @Test
  void shouldWaitForANewPodWhenThePodIsLostBeforeTheAttemptLimit() {
    AgentRunStatus status = running("dev-sandbox").setAttempts(1);

    lifecycle.active(step(run("1h", null), status), null);

    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.Running);
    assertThat(status.getPodName()).isNull();
    assertThat(status.getMessage()).contains("dev-sandbox was lost", "resumes");
    assertThat(milestones).isEmpty();
  }

  @Test
  void shouldFailTheRunWhenThePodIsLostAtTheAttemptLimit() {
    AgentRunStatus status = running("dev-sandbox").setAttempts(3);

    lifecycle.active(step(run("1h", null), status), null);

    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.Failed);
    assertThat(status.getMessage()).contains("dispatched 3 times", "AGENT_OPERATOR_MAX_ATTEMPTS");
    assertThat(Conditions.find(status.getConditions(), "Succeeded"))
        .get()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("PodLost"));
    assertThat(milestones).containsExactly("Failed");
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

  @Test
  void shouldKeepTheAcceptedTransitionTimeWhenTheRunEnds() {
    AgentRunStatus status = running(null);
    String acceptedAt =
        Conditions.find(status.getConditions(), "Accepted").orElseThrow().getLastTransitionTime();

    clock.advance(Duration.ofMinutes(2));
    lifecycle.end(step(run("1h", null), status), AgentRunPhase.Succeeded, "Completed", "done");

    assertThat(
            Conditions.find(status.getConditions(), "Accepted")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo(acceptedAt);
    assertThat(
            Conditions.find(status.getConditions(), "Running")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo("2026-11-22T10:02:00Z");
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

  private static AgentRun run(String timeout, Long ttl) {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName("r")
            .withNamespace("ns")
            .withUid("uid-1")
            .withGeneration(1L)
            .build());
    run.setSpec(
        new AgentRunSpec(
            new SessionRef("dev"),
            null,
            "do it",
            null,
            new RunLimitsSpec(null, null, timeout, null),
            null,
            null,
            null,
            null,
            ttl));
    return run;
  }
}
