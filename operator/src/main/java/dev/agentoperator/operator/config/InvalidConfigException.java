package dev.agentoperator.operator.config;

/** An environment variable of the operator holds a value it cannot use; the message says which. */
public final class InvalidConfigException extends RuntimeException {

  public InvalidConfigException(String message) {
    super(message);
  }
}
