package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import java.time.Instant;
import java.util.List;

/**
 * What a new loop needs to continue a run: counters, token use, the start time (the timeout counts
 * from it), the current context (after compaction), how many transcript lines it covers (later
 * lines are messages appended since, e.g. tool results of an interrupted step) and, once final, the
 * outcome.
 */
public record Checkpoint(
    String runUid,
    RunPhase phase,
    String reason,
    int steps,
    int toolCalls,
    Usage usage,
    Instant startedAt,
    String result,
    String message,
    List<ChatMessage> context,
    long transcriptLines) {

  public Checkpoint {
    context = List.copyOf(context);
  }

  RunResult toResult() {
    return new RunResult(runUid, phase, reason, steps, toolCalls, usage, result, message);
  }
}
