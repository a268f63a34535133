package dev.agentoperator.operator.runnerclient;

/**
 * Where a runner listens and the bearer token it expects. {@link #toString()} hides the token so
 * that an endpoint can be logged safely.
 */
public record RunnerEndpoint(String podIp, String token) {

  @Override
  public String toString() {
    return "RunnerEndpoint[podIp=" + podIp + ", token=<redacted>]";
  }
}
