package dev.agentoperator.operator.testing;

import java.time.Duration;

/**
 * What the {@link FakeRunner} does for one run: how many steps, their usage and tool calls, an
 * optional approval request, the pause between steps, and the final answer.
 */
public record RunScript(
    int steps,
    int toolCallsPerStep,
    long inputTokensPerStep,
    long outputTokensPerStep,
    Duration stepDelay,
    Integer approvalAtStep,
    boolean snapshotEachStep,
    String result) {

  /** {@code n} quick steps with one tool call and a snapshot each, ending with "done". */
  public static RunScript steps(int n) {
    return new RunScript(n, 1, 100, 20, Duration.ofMillis(20), null, true, "done");
  }

  /** A run that keeps stepping slowly, for cancel, timeout and pod-loss scenarios. */
  public static RunScript longRunning() {
    return steps(100_000).withStepDelay(Duration.ofMillis(200));
  }

  public RunScript withStepDelay(Duration delay) {
    return new RunScript(
        steps,
        toolCallsPerStep,
        inputTokensPerStep,
        outputTokensPerStep,
        delay,
        approvalAtStep,
        snapshotEachStep,
        result);
  }

  public RunScript withApprovalAtStep(int step) {
    return new RunScript(
        steps,
        toolCallsPerStep,
        inputTokensPerStep,
        outputTokensPerStep,
        stepDelay,
        step,
        snapshotEachStep,
        result);
  }

  public RunScript withResult(String text) {
    return new RunScript(
        steps,
        toolCallsPerStep,
        inputTokensPerStep,
        outputTokensPerStep,
        stepDelay,
        approvalAtStep,
        snapshotEachStep,
        text);
  }
}
