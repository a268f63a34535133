package dev.agentoperator.operator.runnerclient;

/**
 * What the runner answered: the outcome the reconciler branches on and, on success, the body. An
 * unreachable runner is an outcome too ({@link Outcome#UNREACHABLE}), never an exception, because
 * pods come and go during normal operation.
 */
public record RunnerReply<T>(
    Outcome outcome, int httpStatus, T body, String error, String activeRun) {

  /** The classes of answer the operator treats differently. */
  public enum Outcome {
    /** 200: the request was served (or was a repeat of one already served). */
    OK,
    /** 201: a run was started or resumed. */
    CREATED,
    /** 202: a cancellation was accepted. */
    ACCEPTED,
    /** 409: another run is active, or an approval was already answered differently. */
    CONFLICT,
    /** 404: the runner does not know the run (or the approval id). */
    NOT_FOUND,
    /** 401: the token was refused. */
    UNAUTHORIZED,
    /** 400: the runner refused the request as malformed. */
    BAD_REQUEST,
    /** Anything else: connection refused, timeout, 5xx, an unreadable body. */
    UNREACHABLE
  }

  /** True for 200, 201 and 202. */
  public boolean isSuccess() {
    return outcome == Outcome.OK || outcome == Outcome.CREATED || outcome == Outcome.ACCEPTED;
  }

  static <T> RunnerReply<T> success(Outcome outcome, int status, T body) {
    return new RunnerReply<>(outcome, status, body, null, null);
  }

  static <T> RunnerReply<T> failure(Outcome outcome, int status, String error, String activeRun) {
    return new RunnerReply<>(outcome, status, null, error, activeRun);
  }
}
