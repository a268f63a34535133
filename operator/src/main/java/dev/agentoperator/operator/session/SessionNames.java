package dev.agentoperator.operator.session;

/** Names of the objects a session owns, all derived from the session's name. */
public final class SessionNames {

  private SessionNames() {}

  /** The PersistentVolumeClaim holding {@code /data}. */
  public static String workspaceClaim(String session) {
    return session + "-workspace";
  }

  /** The Secret with the runner's bearer token under key {@value RunnerTokenSecret#TOKEN_KEY}. */
  public static String runnerTokenSecret(String session) {
    return session + "-runner-token";
  }

  /** The Secret with the runner's model gateway token (sessions that use the gateway). */
  public static String gatewayTokenSecret(String session) {
    return session + "-gateway-token";
  }

  /** The sandbox Pod. */
  public static String pod(String session) {
    return session + "-sandbox";
  }

  /** The NetworkPolicy around the sandbox Pod. */
  public static String networkPolicy(String session) {
    return session + "-sandbox";
  }
}
