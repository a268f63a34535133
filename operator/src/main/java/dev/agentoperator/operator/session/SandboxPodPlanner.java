package dev.agentoperator.operator.session;

import static dev.agentoperator.operator.session.PodPlan.Action.CREATE;
import static dev.agentoperator.operator.session.PodPlan.Action.DELETE;
import static dev.agentoperator.operator.session.PodPlan.Action.DELETE_FAILED;
import static dev.agentoperator.operator.session.PodPlan.Action.NONE;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.config.Durations;
import dev.agentoperator.operator.run.EphemeralSession;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the sandbox pod's fate from what was observed: pods are created and deleted, never
 * patched. Pure: the reconciler carries the plan out.
 */
public final class SandboxPodPlanner {

  /** How a message goes on when the pod waits to be recreated until the active run ends. */
  static final String RECREATE_PENDING = "; the pod spec changed and the pod is recreated when run ";

  private SandboxPodPlanner() {}

  /**
   * Plans the pod of {@code session}.
   *
   * @param pod the existing pod, or null
   * @param desiredHash the spec-hash of the pod the session should have now
   * @param runs the session's runs
   * @param lastActivity when the session last saw a run start or end (or was created)
   * @param backoff how long a failed pod must still wait before it is recreated, if at all
   * @param now the reconcile's clock reading
   */
  public static PodPlan plan(
      AgentSession session,
      Pod pod,
      String desiredHash,
      SessionRuns runs,
      Instant lastActivity,
      Optional<Duration> backoff,
      Instant now) {
    if (Boolean.TRUE.equals(session.getSpec().suspend())) {
      return PodPlan.of(
          pod == null ? NONE : DELETE,
          "Suspended",
          "spec.suspend is true: the sandbox pod is deleted and runs wait in the queue",
          AgentSessionPhase.Idle);
    }
    if (pod != null && pod.getMetadata().getDeletionTimestamp() != null) {
      return PodPlan.of(
          NONE, "PodTerminating", "waiting for the old pod to go away", AgentSessionPhase.Pending);
    }
    if (isEphemeral(session) && !runs.busy() && runs.lastActivity().isPresent()) {
      // the one run of an ephemeral session started and is no longer active or waiting: done
      return PodPlan.of(
          pod == null ? NONE : DELETE,
          "RunFinished",
          "the session's run is done: its pod is deleted (the workspace stays until the run and"
              + " its session are deleted)",
          AgentSessionPhase.Idle);
    }
    Optional<Duration> idleTimeout =
        Optional.ofNullable(session.getSpec().idleTimeout()).map(Durations::parse);
    if (idleTimeout.isPresent() && !runs.busy()) {
      Instant idleAt = lastActivity.plus(idleTimeout.get());
      if (!now.isBefore(idleAt)) {
        return PodPlan.of(
            pod == null ? NONE : DELETE,
            "IdleTimeout",
            "no run for "
                + session.getSpec().idleTimeout()
                + ": the pod is deleted, the workspace kept; the next run brings the pod back",
            AgentSessionPhase.Idle);
      }
      return planExisting(pod, desiredHash, runs, backoff, now)
          .requeueAfter(Duration.between(now, idleAt));
    }
    return planExisting(pod, desiredHash, runs, backoff, now);
  }

  private static PodPlan planExisting(
      Pod pod, String desiredHash, SessionRuns runs, Optional<Duration> backoff, Instant now) {
    if (pod == null) {
      if (backoff.isPresent()) {
        return PodPlan.of(
                NONE,
                "PodRecreateBackoff",
                "the last pod failed; a new one is created in " + backoff.get().toSeconds() + "s",
                // recreating is the ordinary way back, not a state that needs a person: Failed is
                // kept for what the operator cannot fix by itself (an invalid spec)
                AgentSessionPhase.Pending)
            .requeueAfter(backoff.get());
      }
      return PodPlan.of(
          CREATE, "PodCreated", "the sandbox pod was created", AgentSessionPhase.Pending);
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      return PodPlan.of(
          DELETE_FAILED,
          "PodFailed",
          "the pod ended (" + describe(pod) + "); it is deleted and recreated with backoff",
          AgentSessionPhase.Pending);
    }
    boolean outdated = !Objects.equals(desiredHash, SandboxPod.specHashOf(pod));
    if (outdated && runs.activeRun().isEmpty()) {
      return PodPlan.of(
          DELETE,
          "PodOutdated",
          "the session's pod spec changed; the pod is recreated",
          AgentSessionPhase.Pending);
    }
    String pending =
        outdated
            ? RECREATE_PENDING
                + runs.activeRun().get()
                + " ends"
            : "";
    if (isReady(pod)) {
      return new PodPlan(
          NONE,
          true,
          "PodReady",
          "the runner is ready" + pending,
          AgentSessionPhase.Ready,
          Optional.empty());
    }
    Optional<PodTrouble> trouble = PodTrouble.of(pod);
    if (trouble.isPresent()) {
      return PodPlan.of(
          NONE,
          trouble.get().reason(),
          "the pod cannot start: " + trouble.get().message() + pending,
          AgentSessionPhase.Pending);
    }
    return PodPlan.of(
        NONE,
        waitingReason(pod).orElse("PodStarting"),
        "the pod is starting (" + describe(pod) + ")" + pending,
        AgentSessionPhase.Pending);
  }

  /** True for the session a run made from its spec.sessionTemplate. */
  static boolean isEphemeral(AgentSession session) {
    var labels = session.getMetadata().getLabels();
    return labels != null && labels.containsKey(EphemeralSession.RUN_LABEL);
  }

  /** True when the pod's Ready condition is True. */
  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Optional<String> waitingReason(Pod pod) {
    return containerStatuses(pod).stream()
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getWaiting() != null && s.getWaiting().getReason() != null)
        .map(s -> s.getWaiting().getReason())
        .filter(r -> r.matches("[A-Z][A-Za-z]*"))
        .findFirst();
  }

  private static List<ContainerStatus> containerStatuses(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return List.of();
    }
    return pod.getStatus().getContainerStatuses();
  }

  private static String describe(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
      return "no status yet";
    }
    StringBuilder text = new StringBuilder("phase ").append(pod.getStatus().getPhase());
    if (pod.getStatus().getReason() != null) {
      text.append(", ").append(pod.getStatus().getReason());
    }
    if (pod.getStatus().getMessage() != null) {
      text.append(": ").append(pod.getStatus().getMessage());
    }
    return text.toString();
  }
}
