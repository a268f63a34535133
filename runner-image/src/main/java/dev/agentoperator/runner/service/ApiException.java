package dev.agentoperator.runner.service;

import java.util.Map;

/**
 * A request the service answers with an error status; the message goes to the client as {@code
 * {"error": ...}} and says what is wrong and how to fix it. Never carries a secret.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final Map<String, Object> extra;

  public ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(int status, String message, Map<String, Object> extra) {
    super(message, null, false, false);
    this.status = status;
    this.extra = Map.copyOf(extra);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  public int status() {
    return status;
  }

  /** Fields beside {@code error} in the body, e.g. {@code activeRun} of a 409. */
  public Map<String, Object> extra() {
    return extra;
  }
}
