package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import java.time.Duration;
import java.util.Optional;

/**
 * What to do with the sandbox pod in this reconcile, and how to report it.
 *
 * @param action the change to make
 * @param podReady whether the pod serves the runner API now
 * @param reason CamelCase reason of the PodReady condition
 * @param message what a person reading {@code kubectl describe} should know
 * @param phase the session phase this plan leads to
 * @param requeueAfter when to look again though nothing changes (a timer ran out)
 */
public record PodPlan(
    Action action,
    boolean podReady,
    String reason,
    String message,
    AgentSessionPhase phase,
    Optional<Duration> requeueAfter) {

  /** The change a plan makes to the pod. */
  public enum Action {
    /** Leave the pod, or its absence, as it is. */
    NONE,
    /** Create the desired pod. */
    CREATE,
    /** Delete the existing pod (it is outdated, failed, idle or suspended). */
    DELETE,
    /** Delete a failed pod and count the failure for backoff. */
    DELETE_FAILED
  }

  static PodPlan of(Action action, String reason, String message, AgentSessionPhase phase) {
    return new PodPlan(action, false, reason, message, phase, Optional.empty());
  }

  PodPlan requeueAfter(Duration delay) {
    return new PodPlan(action, podReady, reason, message, phase, Optional.of(delay));
  }

  /** This plan, reported with another reason and message. */
  PodPlan reported(String newReason, String newMessage) {
    return new PodPlan(action, podReady, newReason, newMessage, phase, requeueAfter);
  }

  /** This plan, looking again after {@code delay} at the latest. */
  PodPlan requeueAtMost(Duration delay) {
    return requeueAfter.isPresent() && requeueAfter.get().compareTo(delay) <= 0
        ? this
        : requeueAfter(delay);
  }

  /** True when the pod exists after this plan is carried out. */
  public boolean podExistsAfter(boolean podExistsNow) {
    return switch (action) {
      case CREATE -> true;
      case DELETE, DELETE_FAILED -> false;
      case NONE -> podExistsNow;
    };
  }
}
