package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxPodPlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final SessionRuns ONE_ACTIVE =
      new SessionRuns(Optional.of("r1"), 0, Optional.empty(), Optional.empty());

  private final AgentSession session = SandboxPodTest.session("s", null, null);
  private final Pod current = SandboxPod.desired(session, OperatorConfig.defaults());
  private final String hash = SandboxPod.specHashOf(current);

  @Test
  void shouldCreateAMissingPodUnlessTheBackoffStillRuns() {
    PodPlan now = plan(session, null, hash, SessionRuns.NONE, Optional.empty());
    PodPlan later = plan(session, null, hash, SessionRuns.NONE, Optional.of(Duration.ofSeconds(7)));

    assertThat(now.action()).isEqualTo(PodPlan.Action.CREATE);
    assertThat(later.action()).isEqualTo(PodPlan.Action.NONE);
    assertThat(later.reason()).isEqualTo("PodRecreateBackoff");
    assertThat(later.requeueAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void shouldKeepAnOutdatedPodWhileARunIsActiveAndDeleteItOtherwise() {
    PodPlan busy = plan(session, current, "another-hash", ONE_ACTIVE, Optional.empty());
    PodPlan free = plan(session, current, "another-hash", SessionRuns.NONE, Optional.empty());

    assertThat(busy.action()).isEqualTo(PodPlan.Action.NONE);
    assertThat(busy.message()).contains("recreated when run r1 ends");
    assertThat(free.action()).isEqualTo(PodPlan.Action.DELETE);
    assertThat(free.reason()).isEqualTo("PodOutdated");
  }

  @Test
  void shouldWaitForATerminatingPodInsteadOfCreatingASecond() {
    Pod terminating =
        new PodBuilder(current)
            .editMetadata()
            .withDeletionTimestamp(NOW.toString())
            .endMetadata()
            .build();

    PodPlan plan = plan(session, terminating, hash, SessionRuns.NONE, Optional.empty());

    assertThat(plan.action()).isEqualTo(PodPlan.Action.NONE);
    assertThat(plan.reason()).isEqualTo("PodTerminating");
  }

  @Test
  void shouldReportTheContainerWaitingReasonOfAStartingPod() {
    Pod pulling =
        new PodBuilder(current)
            .withNewStatus()
            .withPhase("Pending")
            .addNewContainerStatus()
            .withName("runner")
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();

    PodPlan plan = plan(session, pulling, hash, SessionRuns.NONE, Optional.empty());

    assertThat(plan.podReady()).isFalse();
    assertThat(plan.reason()).isEqualTo("ImagePullBackOff");
    assertThat(plan.phase()).isEqualTo(AgentSessionPhase.Pending);
  }

  @Test
  void shouldKeepAnIdleSessionsPodUntilTheTimeoutAndLookAgainThen() {
    AgentSession idle = withIdleTimeout("30m");

    PodPlan before = planAt(idle, NOW.minus(Duration.ofMinutes(10)));
    PodPlan after = planAt(idle, NOW.minus(Duration.ofMinutes(30)));

    assertThat(before.action()).isEqualTo(PodPlan.Action.NONE);
    assertThat(before.requeueAfter()).contains(Duration.ofMinutes(20));
    assertThat(after.action()).isEqualTo(PodPlan.Action.DELETE);
    assertThat(after.phase()).isEqualTo(AgentSessionPhase.Idle);
  }

  private PodPlan planAt(AgentSession s, Instant lastActivity) {
    return SandboxPodPlanner.plan(
        s, current, hash, SessionRuns.NONE, lastActivity, Optional.empty(), NOW);
  }

  private static PodPlan plan(
      AgentSession s, Pod pod, String desiredHash, SessionRuns runs, Optional<Duration> backoff) {
    return SandboxPodPlanner.plan(s, pod, desiredHash, runs, NOW, backoff, NOW);
  }

  private AgentSession withIdleTimeout(String timeout) {
    AgentSession copy = SandboxPodTest.session("s", null, null);
    AgentSessionSpec spec = copy.getSpec();
    copy.setSpec(
        spec.toBuilder().idleTimeout(timeout).build());
    return copy;
  }
}
