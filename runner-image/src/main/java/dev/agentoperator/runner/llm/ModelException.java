package dev.agentoperator.runner.llm;

/**
 * The model could not answer. The message is meant for people (it ends up in the run's status) and
 * never contains the API key. {@code httpStatus} is 0 when no HTTP response was involved.
 */
public class ModelException extends RuntimeException {

  private final int httpStatus;
  private final boolean retryable;

  public ModelException(String message) {
    this(message, 0, false, null);
  }

  public ModelException(String message, int httpStatus, boolean retryable, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Whether another attempt may succeed (rate limits, server errors, broken connections). */
  public boolean retryable() {
    return retryable;
  }
}
