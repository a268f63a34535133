package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator remembers about each session's sandbox pod between reconciles: its failures
 * (for the recreate backoff) and whether its absence is accounted for (deleted on purpose, or
 * already counted as failed). In memory: after a restart the first recreation is immediate.
 */
final class PodRecreations {

  private final PodRecreateBackoff backoff;
  private final Set<String> expectedAbsent = ConcurrentHashMap.newKeySet();

  PodRecreations(PodRecreateBackoff backoff) {
    this.backoff = backoff;
  }

  /** The history of the session keyed {@code key}, whose cached pod is {@code pod}. */
  SessionObservation.Recreations of(String key, AgentSession session, Pod pod, Instant now) {
    boolean vanished =
        pod == null
            && session.getStatus() != null
            && session.getStatus().getPodName() != null
            && !expectedAbsent.contains(key);
    return new SessionObservation.Recreations(
        vanished,
        backoff.remaining(key, now),
        backoff.delayAfter(backoff.failures(key) + 1));
  }

  void vanished(String key, Instant now) {
    if (expectedAbsent.add(key)) {
      backoff.recordFailure(key, now);
    }
  }

  void created(String key) {
    expectedAbsent.remove(key);
  }

  void deleted(String key, boolean failed, Instant now) {
    if (failed) {
      backoff.recordFailure(key, now);
    }
    expectedAbsent.add(key);
  }

  void serving(String key) {
    backoff.reset(key);
  }
}
