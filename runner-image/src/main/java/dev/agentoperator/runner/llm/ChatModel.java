package dev.agentoperator.runner.llm;

/**
 * A chat-completion model. Cancellation is thread interruption: an implementation that waits for a
 * server stops the in-flight call and throws {@link InterruptedException}.
 */
public interface ChatModel {

  /**
   * Sends one request and returns the whole answer.
   *
   * @throws ModelException when the model cannot answer (after retries where that makes sense)
   */
  ChatResponse complete(ChatRequest request) throws InterruptedException;

  /**
   * This model for the calls of one run: a client of the model gateway tells it the run's uid and
   * token budget with each call; every other model is the same for all runs.
   */
  default ChatModel forRun(String runUid, Long maxTokens) {
    return this;
  }
}
