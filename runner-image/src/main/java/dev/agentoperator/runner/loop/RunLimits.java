package dev.agentoperator.runner.loop;

import java.time.Duration;

/**
 * Limits of one run; {@code null} means unlimited. Exceeding {@code timeout} ends the run TimedOut,
 * the others end it Failed with reason {@code MaxStepsExceeded}, {@code MaxTokensExceeded} or
 * {@code MaxToolCallsExceeded}.
 */
public record RunLimits(Integer maxSteps, Long maxTokens, Integer maxToolCalls, Duration timeout) {

  public static RunLimits defaults() {
    return new RunLimits(100, null, null, Duration.ofHours(1));
  }

  public static RunLimits unlimited() {
    return new RunLimits(null, null, null, null);
  }

  public RunLimits withMaxSteps(Integer value) {
    return new RunLimits(value, maxTokens, maxToolCalls, timeout);
  }

  public RunLimits withMaxTokens(Long value) {
    return new RunLimits(maxSteps, value, maxToolCalls, timeout);
  }

  public RunLimits withMaxToolCalls(Integer value) {
    return new RunLimits(maxSteps, maxTokens, value, timeout);
  }

  public RunLimits withTimeout(Duration value) {
    return new RunLimits(maxSteps, maxTokens, maxToolCalls, value);
  }
}
