package dev.agentoperator.contract.gateway;

/**
 * What the runner and the model gateway agree on beside the OpenAI wire format: the headers the
 * runner adds to each call through the gateway, and the error code of a call over its run's budget.
 */
public final class GatewayProtocol {

  /** The run's uid, so the gateway meters per run. */
  public static final String RUN_HEADER = "X-Agent-Run";

  /** The run's {@code limits.maxTokens}, enforced by the gateway across all calls of the run. */
  public static final String MAX_TOKENS_HEADER = "X-Agent-Max-Tokens";

  /**
   * {@code error.code} of the 429 the gateway answers to a run that has used its token budget; not
   * a rate limit, so no retry.
   */
  public static final String MAX_TOKENS_EXCEEDED = "max_tokens_exceeded";

  private GatewayProtocol() {}
}
