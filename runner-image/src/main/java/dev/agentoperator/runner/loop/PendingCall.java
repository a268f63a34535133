package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool call still to run, with its 1-based position in the model's answer: approval and
 * question ids are built from the step and the position, so a resumed run asks under the same id
 * and an answer given meanwhile still finds its question.
 */
record PendingCall(ToolCall call, int position) {

  /** Every call of {@code answer}, in order. */
  static List<PendingCall> allOf(ChatMessage answer) {
    List<PendingCall> calls = new ArrayList<>();
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      calls.add(new PendingCall(answer.toolCalls().get(i), i + 1));
    }
    return calls;
  }
}
