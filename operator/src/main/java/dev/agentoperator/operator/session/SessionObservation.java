package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one reconcile of a session saw; the decide step reads nothing else.
 *
 * @param session the session as read
 * @param problems what is wrong with its spec (empty: valid); an invalid session is not acted on
 * @param podPresent whether its sandbox pod exists (known even when {@code pod} is not looked up)
 * @param pod its sandbox pod from the cache; null when absent or the spec is invalid
 * @param claim its workspace claim, or null
 * @param secrets the names of the Secrets the operator made for it
 * @param networkPolicy its NetworkPolicy, or null
 * @param runs what its runs mean for the pod
 * @param lastActivity when a run last started or ended (or the session was created)
 * @param recreations the pod's failure history, for the recreate backoff
 * @param missingReferences Secrets and ConfigMaps the pod needs that do not exist, as "kind
 *     'name'" (only looked for while the pod is not ready)
 * @param runnerNotReady the runner's own answer to why it is not ready, when the pod runs but is not
 *     Ready and the runner answered; empty otherwise
 * @param now the reconcile's clock reading
 */
record SessionObservation(
    AgentSession session,
    List<String> problems,
    boolean podPresent,
    Pod pod,
    PersistentVolumeClaim claim,
    Set<String> secrets,
    NetworkPolicy networkPolicy,
    SessionRuns runs,
    Instant lastActivity,
    Recreations recreations,
    List<String> missingReferences,
    Optional<String> runnerNotReady,
    Instant now) {

  SessionObservation {
    problems = List.copyOf(problems);
    secrets = Set.copyOf(secrets);
    missingReferences = List.copyOf(missingReferences);
  }

  /**
   * The sandbox pod's recreate history.
   *
   * @param vanished the pod that status recorded is gone and this operator did not delete it (a
   *     node drain, someone's kubectl delete): it counts as a failure
   * @param backoff how long a failed pod must still wait before it is recreated, if at all
   * @param afterNextFailure the wait that one more failure brings
   */
  record Recreations(boolean vanished, Optional<Duration> backoff, Duration afterNextFailure) {

    /** No failure counted. */
    static final Recreations NONE = new Recreations(false, Optional.empty(), Duration.ZERO);

    /** The wait before a new pod, counting a vanished pod as a failure now. */
    Optional<Duration> effectiveBackoff() {
      return vanished ? Optional.of(afterNextFailure) : backoff;
    }
  }
}
