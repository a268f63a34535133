package dev.agentoperator.runner.llm;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how long to retry a failed model call: exponential backoff from {@code
 * initialBackoff} doubling up to {@code maxBackoff}, with "equal jitter" (half fixed, half random),
 * at most {@code maxAttempts} attempts and never past {@code maxTotal} since the first attempt.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotal) {

  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(3));
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /** This policy with other pauses: {@code initial} first, doubling up to {@code max}. */
  public RetryPolicy withBackoff(Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, initial, max, maxTotal);
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }

  /** The pause before attempt {@code failedAttempts + 1}. */
  public Duration backoff(int failedAttempts, RandomGenerator random) {
    long base = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
    long capped = Math.min(Math.max(base, 0), maxBackoff.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}
