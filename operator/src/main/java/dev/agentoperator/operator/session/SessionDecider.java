package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.session.SessionAction.CountVanishedPod;
import dev.agentoperator.operator.session.SessionAction.CreateClaim;
import dev.agentoperator.operator.session.SessionAction.CreateGatewayToken;
import dev.agentoperator.operator.session.SessionAction.CreateNetworkPolicy;
import dev.agentoperator.operator.session.SessionAction.CreatePod;
import dev.agentoperator.operator.session.SessionAction.CreateRunnerToken;
import dev.agentoperator.operator.session.SessionAction.DeletePod;
import dev.agentoperator.operator.session.SessionAction.GrowClaim;
import dev.agentoperator.operator.session.SessionAction.KeepClaimSize;
import dev.agentoperator.operator.session.SessionAction.ResetBackoff;
import dev.agentoperator.operator.session.SessionAction.UpdateNetworkPolicy;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The session's transitions as a pure function: an observation in, the next status and the actions
 * out. The workspace claim, the token Secrets and the NetworkPolicy are made to exist; the sandbox
 * pod's fate comes from {@link SandboxPodPlanner}. No client: the conditions' clock is its only
 * input besides the observation.
 */
final class SessionDecider {

  /** PodReady reason: a Secret or ConfigMap the pod needs does not exist. */
  static final String MISSING_REFERENCE = "MissingReference";

  /** PodReady reason: the pod runs, and the runner says why it is not ready. */
  static final String RUNNER_NOT_READY = "RunnerNotReady";

  /** How soon a pod that is not ready is looked at again, when no informer event would come. */
  static final java.time.Duration RECHECK_NOT_READY = java.time.Duration.ofSeconds(5);

  /** PodReady reasons that only say the pod is coming: the observation may know better. */
  private static final java.util.Set<String> ON_ITS_WAY_UP =
      java.util.Set.of("PodCreated", "PodStarting", "ContainerCreating", "PodInitializing");

  private final OperatorConfig config;
  private final SessionStatusFactory statuses;

  SessionDecider(OperatorConfig config, SessionStatusFactory statuses) {
    this.config = config;
    this.statuses = statuses;
  }

  SessionDecision decide(SessionObservation seen) {
    AgentSession session = seen.session();
    if (!seen.problems().isEmpty()) {
      String message = String.join("; ", seen.problems());
      AgentSessionStatus status =
          statuses.rejected(
              session, seen.claim(), seen.podPresent(), seen.runs(), seen.lastActivity(), message);
      return new SessionDecision(status, List.of(), SessionStatusFactory.rejectedPlan(message));
    }
    List<SessionAction> actions = new ArrayList<>();
    claim(seen, actions);
    tokens(seen, actions);
    networkPolicy(seen, actions);
    if (seen.recreations().vanished()) {
      actions.add(new CountVanishedPod());
    }
    Pod desiredPod = SandboxPod.desired(session, config);
    PodPlan plan =
        SandboxPodPlanner.plan(
            session,
            seen.pod(),
            SandboxPod.specHashOf(desiredPod),
            seen.runs(),
            seen.lastActivity(),
            seen.recreations().effectiveBackoff(),
            seen.now());
    plan = explained(plan, seen);
    switch (plan.action()) {
      case CREATE -> actions.add(new CreatePod(desiredPod));
      case DELETE -> actions.add(new DeletePod(false));
      case DELETE_FAILED -> actions.add(new DeletePod(true));
      case NONE -> {
        if (plan.podReady()) {
          actions.add(new ResetBackoff());
        }
      }
    }
    AgentSessionStatus status =
        statuses.build(
            session,
            seen.claim(),
            plan.podExistsAfter(seen.pod() != null),
            plan,
            seen.runs(),
            seen.lastActivity());
    return new SessionDecision(status, actions, plan);
  }

  /**
   * A pod that is on its way up but not ready, reported with what keeps it there when the
   * observation knows: Secrets or ConfigMaps it needs that do not exist, or the runner's own
   * reason. A kubelet reports neither in the pod's status (a missing volume source is only an
   * Event; a failing probe only Ready=False).
   */
  private static PodPlan explained(PodPlan plan, SessionObservation seen) {
    if (plan.podReady() || !ON_ITS_WAY_UP.contains(plan.reason())) {
      // a plan that already says why (a failing container, the backoff, suspend, idle) keeps it
      return plan;
    }
    int pendingAt = plan.message().indexOf(SandboxPodPlanner.RECREATE_PENDING);
    String pending = pendingAt < 0 ? "" : plan.message().substring(pendingAt);
    if (!seen.missingReferences().isEmpty()) {
      return plan.reported(
              MISSING_REFERENCE,
              "the pod cannot start: "
                  + String.join(", ", seen.missingReferences())
                  + (seen.missingReferences().size() == 1 ? " does" : " do")
                  + " not exist in namespace "
                  + seen.session().getMetadata().getNamespace()
                  + "; create it or correct the session's reference"
                  + pending)
          .requeueAtMost(RECHECK_NOT_READY);
    }
    if (seen.runnerNotReady().isPresent()) {
      return plan.reported(
              RUNNER_NOT_READY,
              "the runner is not ready: " + seen.runnerNotReady().get() + pending)
          .requeueAtMost(RECHECK_NOT_READY);
    }
    if (seen.pod() != null && "Running".equals(podPhase(seen.pod()))) {
      // the runner's readiness changes nothing the informers see: ask again
      return plan.requeueAtMost(RECHECK_NOT_READY);
    }
    return plan;
  }

  private static String podPhase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /** The claim exists; a larger size is asked for, a smaller one only reported (no shrinking). */
  private void claim(SessionObservation seen, List<SessionAction> actions) {
    PersistentVolumeClaim desired = WorkspaceClaim.desired(seen.session(), config);
    PersistentVolumeClaim existing = seen.claim();
    if (existing == null) {
      actions.add(new CreateClaim(desired));
      return;
    }
    Quantity wanted = WorkspaceClaim.requestedStorage(desired);
    Quantity current = WorkspaceClaim.requestedStorage(existing);
    int comparison =
        current == null ? 1 : wanted.getNumericalAmount().compareTo(current.getNumericalAmount());
    if (comparison > 0) {
      actions.add(new GrowClaim(wanted));
    } else if (comparison < 0) {
      actions.add(new KeepClaimSize(wanted, current));
    }
  }

  /** The runner token Secret, and the gateway token Secret of a session that uses the gateway. */
  private void tokens(SessionObservation seen, List<SessionAction> actions) {
    String name = seen.session().getMetadata().getName();
    if (!seen.secrets().contains(SessionNames.runnerTokenSecret(name))) {
      actions.add(new CreateRunnerToken());
    }
    if (GatewayTokenSecret.usesGateway(seen.session(), config)
        && !seen.secrets().contains(SessionNames.gatewayTokenSecret(name))) {
      actions.add(new CreateGatewayToken());
    }
  }

  private void networkPolicy(SessionObservation seen, List<SessionAction> actions) {
    NetworkPolicy desired = SandboxNetworkPolicy.desired(seen.session(), config);
    NetworkPolicy existing = seen.networkPolicy();
    if (existing == null) {
      actions.add(new CreateNetworkPolicy(desired));
    } else if (!Objects.equals(existing.getSpec(), desired.getSpec())
        || !Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      actions.add(new UpdateNetworkPolicy(desired));
    }
  }
}
