package dev.agentoperator.operator.session;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a pod that is not ready will not become ready by itself, read from its status: a failing
 * init container (the workspace could not be prepared, e.g. a clone failed), an image that cannot
 * be pulled, a container that cannot be created or keeps crashing, or no node to schedule it on
 * (which includes a workspace claim that cannot bind). Pure; the message is bounded.
 *
 * @param reason the container's (or the scheduler's) CamelCase reason, e.g. CrashLoopBackOff
 * @param message what happened, naming the container and its last message
 */
public record PodTrouble(String reason, String message) {

  /** Most characters of a trouble message: enough for a git or kubelet error line. */
  public static final int MESSAGE_LIMIT = 512;

  private static final Set<String> STUCK_WAITING =
      Set.of(
          "CrashLoopBackOff",
          "ErrImagePull",
          "ImagePullBackOff",
          "ErrImageNeverPull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  /** The trouble of {@code pod}, if it has one; empty while it is merely starting. */
  public static Optional<PodTrouble> of(Pod pod) {
    if (pod == null || pod.getStatus() == null) {
      return Optional.empty();
    }
    Optional<PodTrouble> init =
        first(pod.getStatus().getInitContainerStatuses(), "init container ", true);
    if (init.isPresent()) {
      return init;
    }
    Optional<PodTrouble> container =
        first(pod.getStatus().getContainerStatuses(), "container ", false);
    if (container.isPresent()) {
      return container;
    }
    return unschedulable(pod.getStatus().getConditions());
  }

  private static Optional<PodTrouble> first(
      List<ContainerStatus> statuses, String what, boolean failedExitCounts) {
    if (statuses == null) {
      return Optional.empty();
    }
    for (ContainerStatus status : statuses) {
      Optional<PodTrouble> trouble = of(status, what + status.getName(), failedExitCounts);
      if (trouble.isPresent()) {
        return trouble;
      }
    }
    return Optional.empty();
  }

  private static Optional<PodTrouble> of(
      ContainerStatus status, String who, boolean failedExitCounts) {
    ContainerState state = status.getState();
    if (state != null
        && state.getWaiting() != null
        && STUCK_WAITING.contains(state.getWaiting().getReason())) {
      String reason = state.getWaiting().getReason();
      ContainerStateTerminated last =
          status.getLastState() == null ? null : status.getLastState().getTerminated();
      String detail = last != null ? describe(last) : orEmpty(state.getWaiting().getMessage());
      return Optional.of(trouble(reason, who + " " + reason + detail));
    }
    ContainerStateTerminated ended = state == null ? null : state.getTerminated();
    if (failedExitCounts
        && ended != null
        && ended.getExitCode() != null
        && ended.getExitCode() != 0) {
      String reason = ended.getReason() == null ? "Error" : ended.getReason();
      return Optional.of(trouble(reason, who + " failed" + describe(ended)));
    }
    return Optional.empty();
  }

  private static Optional<PodTrouble> unschedulable(List<PodCondition> conditions) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> "Unschedulable".equals(c.getReason()))
        .findFirst()
        .map(
            c ->
                trouble("Unschedulable", "the pod cannot be scheduled" + orEmpty(c.getMessage())));
  }

  private static String describe(ContainerStateTerminated ended) {
    StringBuilder text = new StringBuilder();
    if (ended.getExitCode() != null) {
      text.append(" (exit code ").append(ended.getExitCode()).append(")");
    }
    return text.append(orEmpty(ended.getMessage())).toString();
  }

  private static String orEmpty(String message) {
    return message == null || message.isBlank() ? "" : ": " + message.strip();
  }

  private static PodTrouble trouble(String reason, String message) {
    String camel = reason != null && reason.matches("[A-Z][A-Za-z]*") ? reason : "ContainerFailed";
    String bounded =
        message.length() <= MESSAGE_LIMIT
            ? message
            : message.substring(0, MESSAGE_LIMIT - 3) + "...";
    return new PodTrouble(camel, bounded);
  }
}
