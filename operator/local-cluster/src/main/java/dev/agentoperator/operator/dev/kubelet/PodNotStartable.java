package dev.agentoperator.operator.dev.kubelet;

/**
 * A pod or container cannot start yet or at all; {@code reason} is what a kubelet would report
 * (e.g. {@code CreateContainerConfigError}), {@code message} says which object or image is missing.
 */
final class PodNotStartable extends Exception {

  private final String reason;

  PodNotStartable(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
