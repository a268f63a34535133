package dev.agentoperator.contract.runner;

/**
 * The body of every error answer ({@code Error} in the runner API); a {@code 409} to a start also
 * names the run that is active.
 */
public record ApiError(String error, String activeRun) {

  /** An error without an active run. */
  public static ApiError of(String error) {
    return new ApiError(error, null);
  }
}
