package dev.agentoperator.runner.llm;

/**
 * The model gateway refused a call because the run has used its {@code maxTokens} (a 429 with
 * {@code error.code} {@code max_tokens_exceeded}): a limit, not a rate limit, so never retried.
 */
public final class BudgetExceeded extends ModelException {

  public BudgetExceeded(String message) {
    super(message, 429, false, null);
  }
}
