package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The run's clocks: the operator's timeout backstop (from the start, plus a grace for the runner to
 * end the run itself), the wait for a sandbox (from creation, for a run that never started), and
 * the time to live of a finished run.
 */
final class RunDeadlines {

  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  private final RunSettings settings;
  private final Clock clock;

  RunDeadlines(RunSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Time left before the timeout backstop; the queue recheck before the run started. */
  Duration untilTimeout(AgentRun run, AgentRunStatus status) {
    if (status.getStartTime() == null) {
      return settings.queueRecheck();
    }
    Instant deadline =
        Instant.parse(status.getStartTime()).plus(timeoutOf(run)).plus(settings.timeoutGrace());
    return Duration.between(clock.instant(), deadline);
  }

  /** Time left for the sandbox of a run that never started: its timeout from its creation. */
  Duration untilSandboxGivenUp(AgentRun run, String createdAt) {
    return Duration.between(clock.instant(), Instant.parse(createdAt).plus(timeoutOf(run)));
  }

  /** Time left before a finished run should be deleted; null when it is kept. */
  Duration untilDeleted(AgentRun run, AgentRunStatus status) {
    Long ttl = run.getSpec().ttlSecondsAfterFinished();
    if (ttl == null || status.getCompletionTime() == null) {
      return null;
    }
    Instant deleteAt = Instant.parse(status.getCompletionTime()).plusSeconds(ttl);
    Duration left = Duration.between(clock.instant(), deleteAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The run's limits.timeout, one hour when it has none. */
  static Duration timeoutOf(AgentRun run) {
    var limits = run.getSpec().limits();
    return limits == null || limits.timeout() == null
        ? DEFAULT_TIMEOUT
        : Durations.parse(limits.timeout());
  }

  /** The sooner of two rechecks (null: none), never negative. */
  static Duration sooner(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    Duration min = a.compareTo(b) <= 0 ? a : b;
    return min.isNegative() ? Duration.ZERO : min;
  }
}
