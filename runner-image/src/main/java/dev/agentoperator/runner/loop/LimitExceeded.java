package dev.agentoperator.runner.loop;

/**
 * A run limit was reached; {@code reason} is the CamelCase status reason. An exception, since the
 * tool-call limit is found in the middle of a step and the step must not go on.
 */
final class LimitExceeded extends Exception {

  private final String reason;

  LimitExceeded(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  StopReason stopReason() {
    return StopReason.failed(reason, getMessage());
  }
}
