package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.ChatRequest;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.llm.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a request under the model's token budget. When the context would exceed it, the turns
 * between the original task and the most recent ones are summarised by the model into one message.
 * An assistant message with tool calls and its tool results form one unit that is kept or
 * summarised whole, so no {@code tool} message is ever orphaned.
 */
final class ContextCompactor {

  /** Even the system prompt, the task, the tool schemas and one turn do not fit the budget. */
  static final class BudgetTooSmall extends RuntimeException {
    BudgetTooSmall(String message) {
      super(message);
    }
  }

  static final String SUMMARY_PREFIX = "[Summary of the earlier steps of this task]\n";

  private static final int MARGIN = 32;
  private static final int MIN_TOOL_RESULT_TOKENS = 48;

  private final TokenCounter tokens;
  private final int budget;
  private final String compactionPrompt;
  // Messages never change once in the context, so each is tokenised once, not at every step.
  private final Map<ChatMessage, Integer> messageTokens = new IdentityHashMap<>();
  private List<JsonNode> countedTools;
  private int toolTokens;

  ContextCompactor(TokenCounter tokens, int budget, String compactionPrompt) {
    this.tokens = tokens;
    this.budget = budget;
    this.compactionPrompt = compactionPrompt;
  }

  /** The outcome of {@link #fit}: the context to send and what compaction cost. */
  record Fitted(
      List<ChatMessage> context,
      boolean compacted,
      ChatMessage summary,
      int messagesSummarized,
      int tokensBefore,
      int tokensAfter,
      Usage usage) {}

  Fitted fit(List<ChatMessage> context, List<JsonNode> tools, ChatModel model, String modelName)
      throws InterruptedException {
    int before = cachedCount(context, tools);
    if (before <= budget) {
      return new Fitted(context, false, null, 0, before, before, Usage.ZERO);
    }
    int headSize = Math.min(2, context.size());
    List<ChatMessage> head = context.subList(0, headSize);
    List<List<ChatMessage>> units = units(context.subList(headSize, context.size()));
    int summaryTokens = Math.max(64, Math.min(800, budget / 8));
    int fixed = cachedCount(head, tools) + summaryTokens + MARGIN;
    int recentBudget = Math.max(0, (budget - fixed) / 2);

    // The latest unit is always kept; earlier ones while they fit in half the free room, so
    // compaction does not have to run again at the very next step.
    int keepFrom = units.size();
    int kept = 0;
    while (keepFrom > 0) {
      int size = count(units.get(keepFrom - 1));
      if (keepFrom < units.size() && kept + size > recentBudget) {
        break;
      }
      kept += size;
      keepFrom--;
    }
    List<ChatMessage> old = flatten(units.subList(0, keepFrom));
    List<ChatMessage> recent = flatten(units.subList(keepFrom, units.size()));

    List<ChatMessage> result = new ArrayList<>(head);
    ChatMessage summary = null;
    Usage usage = Usage.ZERO;
    if (!old.isEmpty()) {
      ChatResponse answer = summarise(old, head, summaryTokens, model, modelName);
      usage = answer.usage();
      summary =
          ChatMessage.user(
              SUMMARY_PREFIX + tokens.truncate(answer.message().text().strip(), summaryTokens));
      result.add(summary);
    }
    result.addAll(recent);
    result = shrinkToolResults(result, tools, headSize + (summary == null ? 0 : 1));
    Set<ChatMessage> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(result);
    messageTokens.keySet().retainAll(live);
    int after = cachedCount(result, tools);
    if (after > budget) {
      throw new BudgetTooSmall(
          "the context budget of "
              + budget
              + " tokens is too small: system prompt, task and tool schemas alone need "
              + after
              + " tokens");
    }
    return new Fitted(result, true, summary, old.size(), before, after, usage);
  }

  private ChatResponse summarise(
      List<ChatMessage> old,
      List<ChatMessage> head,
      int summaryTokens,
      ChatModel model,
      String modelName)
      throws InterruptedException {
    String task = head.size() > 1 ? head.get(1).text() : "";
    int room =
        budget
            - summaryTokens
            - tokens.count(compactionPrompt)
            - MARGIN * 2
            - Math.min(tokens.count(task), budget / 8);
    String transcript =
        render(old, Math.max(MIN_TOOL_RESULT_TOKENS, room / Math.max(1, old.size())));
    String request =
        "Write at most "
            + (summaryTokens * 3 / 4)
            + " words.\n\nThe task:\n"
            + tokens.truncate(task, budget / 8)
            + "\n\nThe earlier steps to summarise:\n"
            + tokens.truncate(transcript, Math.max(0, room));
    List<ChatMessage> messages =
        List.of(ChatMessage.system(compactionPrompt), ChatMessage.user(request));
    return model.complete(new ChatRequest(modelName, messages, List.of(), null, summaryTokens));
  }

  private String render(List<ChatMessage> messages, int perMessageTokens) {
    StringBuilder text = new StringBuilder();
    for (ChatMessage message : messages) {
      text.append('[').append(message.role()).append("] ");
      text.append(tokens.truncate(message.text(), perMessageTokens));
      for (ToolCall call : message.toolCalls()) {
        text.append("\n  call ")
            .append(call.name())
            .append(' ')
            .append(tokens.truncate(call.arguments(), perMessageTokens));
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** Halves the largest tool results of the kept turns until the request fits. */
  private List<ChatMessage> shrinkToolResults(
      List<ChatMessage> context, List<JsonNode> tools, int firstShrinkable) {
    List<ChatMessage> result = new ArrayList<>(context);
    while (tokens.count(result, tools) > budget) {
      int largest = -1;
      int largestSize = MIN_TOOL_RESULT_TOKENS;
      for (int i = firstShrinkable; i < result.size(); i++) {
        ChatMessage m = result.get(i);
        int size = tokens.count(m.text());
        if (size > largestSize) {
          largest = i;
          largestSize = size;
        }
      }
      if (largest < 0) {
        break;
      }
      ChatMessage m = result.get(largest);
      String shorter = tokens.truncate(m.text(), largestSize / 2);
      result.set(largest, new ChatMessage(m.role(), shorter, m.toolCalls(), m.toolCallId()));
    }
    return result;
  }

  /** Groups messages so an assistant message with tool calls travels with its tool results. */
  static List<List<ChatMessage>> units(List<ChatMessage> messages) {
    List<List<ChatMessage>> units = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.isRole(ChatMessage.TOOL) && !units.isEmpty()) {
        units.getLast().add(message);
      } else {
        List<ChatMessage> unit = new ArrayList<>();
        unit.add(message);
        units.add(unit);
      }
    }
    return units;
  }

  private int count(List<ChatMessage> unit) {
    int total = 0;
    for (ChatMessage message : unit) {
      total += messageTokens.computeIfAbsent(message, tokens::count);
    }
    return total;
  }

  /** Same as {@link TokenCounter#count(List, List)}, with per-message results cached. */
  private int cachedCount(List<ChatMessage> messages, List<JsonNode> tools) {
    if (tools != countedTools) {
      toolTokens = tokens.countTools(tools);
      countedTools = tools;
    }
    return TokenCounter.PER_REQUEST + count(messages) + toolTokens;
  }

  private static List<ChatMessage> flatten(List<List<ChatMessage>> units) {
    List<ChatMessage> all = new ArrayList<>();
    units.forEach(all::addAll);
    return all;
  }
}
