package dev.agentoperator.operator.run;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces a run's progress-only status writes at least {@code interval} apart; milestones bypass it.
 * Remembers the last write per run in memory (a restart simply allows one early write).
 */
public final class StatusWriteThrottle {

  private final Clock clock;
  private final Duration interval;
  private final Map<ResourceID, Instant> lastWrite = new ConcurrentHashMap<>();

  public StatusWriteThrottle(Clock clock, Duration interval) {
    this.clock = clock;
    this.interval = interval;
  }

  /** Zero when a progress write may happen now, else how long until it may. */
  public Duration waitBeforeWrite(ResourceID run) {
    Instant last = lastWrite.get(run);
    if (last == null) {
      return Duration.ZERO;
    }
    Duration elapsed = Duration.between(last, clock.instant());
    return elapsed.compareTo(interval) >= 0 ? Duration.ZERO : interval.minus(elapsed);
  }

  /** Records that the run's status was written now. */
  public void wrote(ResourceID run) {
    lastWrite.put(run, clock.instant());
  }

  /** Forgets the run (it was deleted). */
  public void forget(ResourceID run) {
    lastWrite.remove(run);
  }
}
