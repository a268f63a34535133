package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.testing.MutableClock;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusWriteThrottleTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final StatusWriteThrottle throttle =
      new StatusWriteThrottle(clock, Duration.ofSeconds(1));
  private final ResourceID run = new ResourceID("r", "ns");

  @Test
  void shouldAllowTheFirstWriteAndThenOnePerInterval() {
    assertThat(throttle.waitBeforeWrite(run)).isZero();

    throttle.wrote(run);
    clock.advance(Duration.ofMillis(300));
    assertThat(throttle.waitBeforeWrite(run)).isEqualTo(Duration.ofMillis(700));

    clock.advance(Duration.ofMillis(700));
    assertThat(throttle.waitBeforeWrite(run)).isZero();
  }

  @Test
  void shouldSpaceEachRunOnItsOwn() {
    throttle.wrote(run);

    assertThat(throttle.waitBeforeWrite(new ResourceID("other", "ns"))).isZero();
  }

  @Test
  void shouldWriteANewPushOrPullRequestAtOnceSoItsEventIsRecordedOnce() {
    // A push folded into a status whose write waits for the interval was folded again from the
    // unwritten status on the next runner event, and its Pushed Event recorded a second time.
    var before = new dev.agentoperator.operator.api.v1alpha1.AgentRunStatus();
    var pushed =
        new dev.agentoperator.operator.api.v1alpha1.AgentRunStatus()
            .setLastPush(
                new dev.agentoperator.operator.api.v1alpha1.PushStatus(
                    "https://git.example/repo.git", "main", "abc123", false, "2026-11-22T10:00:00Z"));
    before.setObservedGeneration(1L);
    pushed.setObservedGeneration(1L);

    assertThat(AgentRunReconciler.isMilestone(before, pushed)).isTrue();
    assertThat(AgentRunReconciler.isMilestone(pushed, pushed)).isFalse();
  }
}
