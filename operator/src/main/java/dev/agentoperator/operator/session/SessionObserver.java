package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
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

  private final OperatorConfig config;
  private final RunnerClient runner;
  private final Clock clock;
  private final PodRecreations recreations;
  private final Function<ResourceID, Optional<Pod>> podStore;

  /**
   * @param podStore the pod informer's store, read by id (for a session whose spec is invalid, whose
   *     pod must not be looked up through JOSDK's secondary-resource set)
   */
  SessionObserver(
      OperatorConfig config,
      RunnerClient runner,
      Clock clock,
      PodRecreations recreations,
      Function<ResourceID, Optional<Pod>> podStore) {
    this.config = config;
    this.runner = runner;
    this.clock = clock;
    this.recreations = recreations;
    this.podStore = podStore;
  }

  /**
   * The Secrets and ConfigMaps the session's pod needs that do not exist (read from the API: they
   * are not watched). Looked for only while the pod is not ready: a ready pod has them.
   */
  private List<String> missingReferences(AgentSession session, KubernetesClient client) {
    String namespace = session.getMetadata().getNamespace();
    Pod desired = SandboxPod.desired(session, config);
    return SandboxReferences.of(desired, session.getMetadata().getName()).stream()
        .filter(ref -> !exists(client, namespace, ref))
        .map(SandboxReferences::toString)
        .toList();
  }

  private static boolean exists(KubernetesClient client, String namespace, SandboxReferences ref) {
    return SandboxReferences.SECRET.equals(ref.kind())
        ? client.secrets().inNamespace(namespace).withName(ref.name()).get() != null
        : client.configMaps().inNamespace(namespace).withName(ref.name()).get() != null;
  }

  /**
   * The runner's own reason for not being ready, asked of it directly: the kubelet's probe events
   * do not carry the body of the runner's 503, and the pod's status says only Ready=False. Asked
   * only of a pod that runs, has an IP and whose runner container runs.
   */
  private Optional<String> runnerNotReady(Pod pod) {
    if (pod == null
        || pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || pod.getStatus().getPodIP() == null
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    boolean runnerRuns =
        pod.getStatus().getContainerStatuses() != null
            && pod.getStatus().getContainerStatuses().stream()
                .anyMatch(
                    c ->
                        SandboxPod.RUNNER_CONTAINER.equals(c.getName())
                            && c.getState() != null
                            && c.getState().getRunning() != null);
    return runnerRuns ? runner.notReadyReason(pod.getStatus().getPodIP()) : Optional.empty();
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
    boolean ready = pod != null && SandboxPodPlanner.isReady(pod);
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
        ready ? List.of() : missingReferences(session, context.getClient()),
        ready ? Optional.empty() : runnerNotReady(pod),
        now);
  }
}
