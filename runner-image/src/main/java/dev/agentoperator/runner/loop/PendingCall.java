package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool call still to run, with its 1-based position in the model's answer (part of the approval
 * and question ids, see {@link HumanInputIds}). {@code retried}: a previous runner
 * process started this call and died before its result was recorded, so it may have had effects.
 */
record PendingCall(ToolCall call, int position, boolean retried) {

  /** A call no earlier process started. */
  PendingCall(ToolCall call, int position) {
    this(call, position, false);
  }

  PendingCall asRetried() {
    return new PendingCall(call, position, true);
  }

  /** Every call of {@code answer}, in order. */
  static List<PendingCall> allOf(ChatMessage answer) {
    List<PendingCall> calls = new ArrayList<>();
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      calls.add(new PendingCall(answer.toolCalls().get(i), i + 1));
    }
    return calls;
  }
}
