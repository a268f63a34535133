package dev.agentoperator.operator.run;

import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import java.time.Duration;

/**
 * The knobs of the AgentRun reconciler.
 *
 * @param maxAttempts dispatches of one run (first plus resumes) before it fails
 * @param statusWriteInterval least time between two progress-only status writes of one run
 * @param timeoutGrace how long past {@code limits.timeout} the operator waits for the runner to end
 *     the run itself before it marks it TimedOut
 * @param queueRecheck how often a waiting run looks again even without an event (a safety net)
 * @param events long-poll and backoff settings of the runner event source
 */
public record RunSettings(
    int maxAttempts,
    Duration statusWriteInterval,
    Duration timeoutGrace,
    Duration queueRecheck,
    RunnerEventSource.Settings events) {

  /** The settings for production, from the operator's configuration. */
  public static RunSettings from(OperatorConfig config) {
    return new RunSettings(
        config.maxAttempts(),
        config.statusWriteInterval(),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        RunnerEventSource.Settings.defaults());
  }
}
