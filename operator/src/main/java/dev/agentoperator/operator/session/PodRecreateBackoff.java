package dev.agentoperator.operator.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exponential backoff between recreations of a session's failed pod, so a pod that cannot start
 * does not churn the API server. Kept in memory: after an operator restart the first recreation is
 * immediate, which is the cautious side for a run waiting on the pod.
 */
final class PodRecreateBackoff {

  private record Failures(int count, Instant last) {}

  private final Duration initial;
  private final Duration max;
  private final Map<String, Failures> bySession = new ConcurrentHashMap<>();

  PodRecreateBackoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  void recordFailure(String session, Instant now) {
    bySession.merge(
        session, new Failures(1, now), (old, fresh) -> new Failures(old.count() + 1, now));
  }

  /** The pod runs fine again: the next failure starts from the first wait. */
  void reset(String session) {
    bySession.remove(session);
  }

  int failures(String session) {
    Failures failures = bySession.get(session);
    return failures == null ? 0 : failures.count();
  }

  /** How long to wait before the pod may be created again; empty when it may be now. */
  Optional<Duration> remaining(String session, Instant now) {
    Failures failures = bySession.get(session);
    if (failures == null) {
      return Optional.empty();
    }
    Duration wait = delayAfter(failures.count());
    Duration left = Duration.between(now, failures.last().plus(wait));
    return left.isPositive() ? Optional.of(left) : Optional.empty();
  }

  Duration delayAfter(int failures) {
    Duration wait = initial;
    for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
