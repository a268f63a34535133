package dev.agentoperator.runner.loop;

/**
 * How one turn (a model call and the tool calls it asked for) ended: the closed set the loop acts
 * on, as in the OpenAI Agents SDK's run loop (final output, run again, interruption). Failures
 * (a model error, a runner bug) are exceptions, not outcomes.
 */
sealed interface TurnOutcome {

  /** The model answered without tool calls: the run succeeds with {@code text}. */
  record FinalAnswer(String text, boolean cutAtOutputLimit) implements TurnOutcome {}

  /** The tool calls ran and their results are in the context: ask the model again. */
  record RunAgain() implements TurnOutcome {}

  /** The run was stopped (cancel, timeout, suspension, a limit) before a final answer. */
  record Interrupted(StopReason reason) implements TurnOutcome {}

  TurnOutcome RUN_AGAIN = new RunAgain();
}
