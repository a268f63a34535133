package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodRecreateBackoffTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final PodRecreateBackoff backoff =
      new PodRecreateBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60));

  @Test
  void shouldLetAPodWithoutFailuresBeCreatedAtOnce() {
    assertThat(backoff.remaining("ns/s", T0)).isEmpty();
  }

  @Test
  void shouldDoubleTheWaitPerFailureUpToTheCeiling() {
    assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delayAfter(40)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldCountDownFromTheLastFailureAndForgetAfterReset() {
    // given
    backoff.recordFailure("ns/s", T0);
    backoff.recordFailure("ns/s", T0.plusSeconds(5));

    // then the second failure waits 20s from its own time
    assertThat(backoff.remaining("ns/s", T0.plusSeconds(15))).contains(Duration.ofSeconds(10));
    assertThat(backoff.remaining("ns/s", T0.plusSeconds(25))).isEmpty();
    assertThat(backoff.remaining("ns/other", T0.plusSeconds(15))).isEmpty();

    // and a reset starts over
    backoff.reset("ns/s");
    assertThat(backoff.failures("ns/s")).isZero();
  }
}
