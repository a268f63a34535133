package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Compacts older turns without a model ("observation masking", which on SWE-bench Verified matched
 * LLM summaries at half the cost, arXiv 2508.21433): the agent's messages and tool calls stay, each
 * old tool output becomes a short placeholder naming its call, and when that is not enough the
 * oldest turns are removed whole, so a call never loses its results. A summary of earlier steps is
 * kept.
 */
final class ObservationMasker {

  static final String MASKED_PREFIX = "[Output of ";
  static final String REMOVED_NOTE =
      "[Earlier steps of this task were removed to save context; the run's transcript keeps them.]";

  /** The older turns as they will be sent, and what was done to them. */
  record Masked(List<ChatMessage> messages, int toolOutputsMasked, int messagesRemoved) {}

  private final ToIntFunction<ChatMessage> tokens;

  /** {@code tokens} counts one message (the compactor's cached counter). */
  ObservationMasker(ToIntFunction<ChatMessage> tokens) {
    this.tokens = tokens;
  }

  /**
   * Masks the tool outputs of {@code units} (turns older than the ones kept intact) and removes the
   * oldest of them until the rest needs at most {@code room} tokens.
   */
  Masked mask(List<List<ChatMessage>> units, int room) {
    List<ChatMessage> pinned = new ArrayList<>();
    List<List<ChatMessage>> masked = new ArrayList<>();
    int maskedOutputs = 0;
    boolean removedBefore = false;
    for (List<ChatMessage> unit : units) {
      if (isSummary(unit)) {
        pinned.addAll(unit);
      } else if (isRemovedNote(unit)) {
        removedBefore = true;
      } else {
        List<ChatMessage> copy = maskOutputs(unit);
        maskedOutputs += changed(unit, copy);
        masked.add(copy);
      }
    }
    int removed = 0;
    int total = sum(pinned) + masked.stream().mapToInt(this::sum).sum();
    int note = tokens.applyAsInt(ChatMessage.user(REMOVED_NOTE));
    boolean withNote = removedBefore;
    while (!masked.isEmpty() && total + (withNote ? note : 0) > room) {
      List<ChatMessage> oldest = masked.removeFirst();
      total -= sum(oldest);
      removed += oldest.size();
      withNote = true;
    }
    List<ChatMessage> result = new ArrayList<>(pinned);
    if (withNote) {
      result.add(ChatMessage.user(REMOVED_NOTE));
    }
    masked.forEach(result::addAll);
    return new Masked(result, maskedOutputs, removed);
  }

  /** The unit with each tool output replaced by a placeholder, where that is shorter. */
  private List<ChatMessage> maskOutputs(List<ChatMessage> unit) {
    Map<String, String> toolNames = new HashMap<>();
    for (ToolCall call : unit.getFirst().toolCalls()) {
      toolNames.put(call.id(), call.name());
    }
    List<ChatMessage> result = new ArrayList<>(unit.size());
    for (ChatMessage message : unit) {
      if (!message.isRole(ChatMessage.TOOL) || message.text().startsWith(MASKED_PREFIX)) {
        result.add(message);
        continue;
      }
      int size = tokens.applyAsInt(message);
      ChatMessage placeholder =
          ChatMessage.toolResult(
              message.toolCallId(),
              MASKED_PREFIX
                  + toolNames.getOrDefault(message.toolCallId(), "the tool")
                  + " call "
                  + message.toolCallId()
                  + " ("
                  + size
                  + " tokens) was removed to save context.]");
      result.add(tokens.applyAsInt(placeholder) < size ? placeholder : message);
    }
    return result;
  }

  private static int changed(List<ChatMessage> before, List<ChatMessage> after) {
    int changed = 0;
    for (int i = 0; i < before.size(); i++) {
      if (before.get(i) != after.get(i)) {
        changed++;
      }
    }
    return changed;
  }

  private static boolean isSummary(List<ChatMessage> unit) {
    return unit.size() == 1
        && unit.getFirst().isRole(ChatMessage.USER)
        && unit.getFirst().text().startsWith(ContextCompactor.SUMMARY_PREFIX);
  }

  private static boolean isRemovedNote(List<ChatMessage> unit) {
    return unit.size() == 1
        && unit.getFirst().isRole(ChatMessage.USER)
        && unit.getFirst().text().equals(REMOVED_NOTE);
  }

  private int sum(List<ChatMessage> messages) {
    int total = 0;
    for (ChatMessage message : messages) {
      total += tokens.applyAsInt(message);
    }
    return total;
  }
}
