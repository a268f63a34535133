package dev.agentoperator.runner.tools;

import java.util.List;

/**
 * Where the {@code question} tool asks a person: the agent loop registers the question, waits for
 * the answer from the operator ({@code spec.answers}) and returns it. Only the runner can answer,
 * so nothing the agent runs can answer its own question.
 */
@FunctionalInterface
public interface Questions {

  /** Nobody to ask (the sandbox's executor, tool tests): a clear tool error. */
  Questions NONE =
      (question, choices) -> {
        throw new ToolException("there is no person to ask in this run");
      };

  /** Blocks until a person answers; throws {@link InterruptedException} on cancel or timeout. */
  String ask(String question, List<String> choices) throws InterruptedException;
}
