package dev.agentoperator.operator.gateway;

/**
 * Where one session's model calls go: its namespace and name (for metering and metrics), the
 * provider's base URL (before {@code /chat/completions}), the session's model name and the key read
 * from the session's Secret. {@link #toString()} never shows the key.
 */
record GatewayRoute(
    String namespace, String session, String baseUrl, String model, String apiKey) {

  @Override
  public String toString() {
    return "GatewayRoute[" + namespace + "/" + session + " -> " + baseUrl + ", model=" + model + "]";
  }
}
