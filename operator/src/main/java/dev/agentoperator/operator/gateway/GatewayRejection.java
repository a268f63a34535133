package dev.agentoperator.operator.gateway;

/**
 * A request the gateway answers itself, in the OpenAI error shape: {@code {"error": {"message",
 * "type", "code"}}}. The message is for people and never holds a token or a key.
 */
final class GatewayRejection extends Exception {

  private final int status;
  private final String type;
  private final String code;

  GatewayRejection(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  static GatewayRejection unauthorized() {
    return new GatewayRejection(
        401,
        "authentication_error",
        "invalid_gateway_token",
        "the gateway token is missing, unknown, or its session is gone");
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String code() {
    return code;
  }
}
