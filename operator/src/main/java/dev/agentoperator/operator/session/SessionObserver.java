package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Takes the snapshot a session's decision is made on: the session and its objects from the
 * informer caches, its runs, what the operator remembers about its pod, and, while the pod is not
 * ready, why (missing references, the runner's own answer).
 */
final class SessionObserver {

  private final Clock clock;
  private final PodRecreations recreations;
  private final Function<ResourceID, Optional<Pod>> podStore;

  /**
   * @param podStore the pod informer's store, read by id (for a session whose spec is invalid, whose
   *     pod must not be looked up through JOSDK's secondary-resource set)
   */
  SessionObserver(
      Clock clock, PodRecreations recreations, Function<ResourceID, Optional<Pod>> podStore) {
    this.clock = clock;
    this.recreations = recreations;
    this.podStore = podStore;
  }

  SessionObservation observe(AgentSession session, Context<AgentSession> context) {
    Instant now = clock.instant();
    String name = session.getMetadata().getName();
    String key = ResourceID.fromResource(session).toString();
    PersistentVolumeClaim claim =
        context.getSecondaryResource(PersistentVolumeClaim.class).orElse(null);
    SessionRuns runs = SessionRuns.of(name, context.getSecondaryResources(AgentRun.class));
    Instant lastActivity = SessionStatusFactory.lastActivity(session, runs);
    Set<String> secrets =
        context.getSecondaryResources(Secret.class).stream()
            .map(s -> s.getMetadata().getName())
            .collect(Collectors.toSet());
    NetworkPolicy policy = context.getSecondaryResource(NetworkPolicy.class).orElse(null);
    List<String> problems = SessionValidator.problems(session.getSpec());
    if (!problems.isEmpty()) {
      // a spec the pod cannot be built from is reported, never acted on; and a pod built from it
      // by an older release is not looked up as a secondary: JOSDK hashes secondaries into a Set,
      // and a Pod's hashCode throws on a quantity like "lots"
      boolean podPresent =
          podStore
              .apply(new ResourceID(SessionNames.pod(name), session.getMetadata().getNamespace()))
              .isPresent();
      return new SessionObservation(
          session,
          problems,
          podPresent,
          null,
          claim,
          secrets,
          policy,
          runs,
          lastActivity,
          SessionObservation.Recreations.NONE,
          List.of(),
          Optional.empty(),
          now);
    }
    Pod pod = context.getSecondaryResource(Pod.class).orElse(null);
    return new SessionObservation(
        session,
        problems,
        pod != null,
        pod,
        claim,
        secrets,
        policy,
        runs,
        lastActivity,
        recreations.of(key, session, pod, now),
        List.of(),
        Optional.empty(),
        now);
  }
}
