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
}
