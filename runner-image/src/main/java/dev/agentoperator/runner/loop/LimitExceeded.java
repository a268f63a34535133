package dev.agentoperator.runner.loop;

/** A run limit was reached; {@code reason} is the CamelCase status reason. */
final class LimitExceeded extends Exception {

  private final String reason;

  LimitExceeded(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
