package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.ChatRequest;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.ModelException;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.ToolCall;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a request under the model's token budget. When the context would exceed it, the turns
 * between the original task and the most recent ones are summarised by the model into one message;
 * a summary that is empty, a tool call, an error or over-long is rejected and asked for once more,
 * then {@link ObservationMasker} compacts without a model. Compaction aims at {@link
 * #TARGET_PERCENT} of the budget (or the least that holds the system prompt, the task, the tool
 * schemas, the condensed older turns and the latest turn), so a run near the limit does not compact
 * at every step. An assistant message with tool calls and its tool results form one unit that is
 * kept, summarised or removed whole, so no {@code tool} message is ever orphaned.
 */
final class ContextCompactor {

  /** Even the system prompt, the task, the tool schemas and one turn do not fit the budget. */
  static final class BudgetTooSmall extends RuntimeException {
    BudgetTooSmall(String message) {
      super(message);
    }
  }

  /** How the older turns were compacted; {@link #wireName()} is the event's {@code method}. */
  enum Method {
    /** Replaced by a summary the model wrote. */
    SUMMARY,
    /** Tool outputs replaced by placeholders, the oldest turns removed (no model call). */
    MASKING,
    /** Nothing older to compact: only the latest tool results were cut. */
    TRUNCATION;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String SUMMARY_PREFIX = "[Summary of the earlier steps of this task]\n";

  /** Compaction aims at this share of the budget, so the next steps have room to grow. */
  static final int TARGET_PERCENT = 60;

  private static final int SUMMARY_ATTEMPTS = 2;
  private static final int MARGIN = 32;
  private static final int MIN_TOOL_RESULT_TOKENS = 48;

  private final TokenCounter tokens;
  private final int budget;
  private final String compactionPrompt;
  private final int summaryTokens;
  // Messages never change once in the context, so each is tokenised once, not at every step.
  private final Map<ChatMessage, Integer> messageTokens = new IdentityHashMap<>();
  private final ObservationMasker masker = new ObservationMasker(this::count);
  private List<JsonNode> countedTools;
  private int toolTokens;

  ContextCompactor(TokenCounter tokens, int budget, String compactionPrompt) {
    this.tokens = tokens;
    this.budget = budget;
    this.compactionPrompt = compactionPrompt;
    this.summaryTokens = Math.max(64, Math.min(800, budget / 8));
  }

  /** The outcome of {@link #fit}: the context to send and, when it was compacted, how. */
  record Fitted(List<ChatMessage> context, Compaction compaction) {

    boolean compacted() {
      return compaction != null;
    }
  }

  /**
   * One compaction. {@code summary} is the new summary message (null unless the method is {@link
   * Method#SUMMARY}), {@code modelCalls} the summary calls that got an answer, {@code rejections}
   * why earlier attempts were not used, {@code usage} what all summary calls cost. {@link
   * LoopEvents#contextCompacted} turns it into the event.
   */
  record Compaction(
      Method method,
      ChatMessage summary,
      int messagesSummarized,
      int toolOutputsMasked,
      int messagesRemoved,
      int tokensBefore,
      int tokensAfter,
      int modelCalls,
      List<String> rejections,
      Usage usage) {}

  Fitted fit(List<ChatMessage> context, List<JsonNode> tools, ChatModel model, String modelName)
      throws InterruptedException {
    int before = cachedCount(context, tools);
    if (before <= budget) {
      return new Fitted(context, null);
    }
    int headSize = Math.min(2, context.size());
    List<ChatMessage> head = context.subList(0, headSize);
    List<List<ChatMessage>> units = units(context.subList(headSize, context.size()));
    int target = budget * TARGET_PERCENT / 100;
    int fixed = cachedCount(head, tools) + MARGIN;
    int keepFrom = keepFrom(units, target - fixed - summaryTokens);
    List<List<ChatMessage>> older = units.subList(0, keepFrom);
    List<ChatMessage> recent = flatten(units.subList(keepFrom, units.size()));

    Compacted compacted;
    if (older.isEmpty()) {
      compacted = new Compacted(Method.TRUNCATION, List.of(), null, 0, 0, 0, List.of(), Usage.ZERO);
    } else {
      // Masked turns get at least the room a summary would have, even when the fixed part alone
      // is near the target (a small budget with many tool schemas).
      int room = Math.max(summaryTokens, target - fixed - count(recent));
      compacted = summaryOrMasking(head, older, room, model, modelName);
    }
    List<ChatMessage> result = new ArrayList<>(head);
    result.addAll(compacted.older());
    result.addAll(recent);
    result = shrinkToolResults(result, tools, headSize);
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
    return new Fitted(
        result,
        new Compaction(
            compacted.method(),
            compacted.summary(),
            compacted.method() == Method.SUMMARY ? flatten(older).size() : 0,
            compacted.toolOutputsMasked(),
            compacted.messagesRemoved(),
            before,
            after,
            compacted.modelCalls(),
            compacted.rejections(),
            compacted.usage()));
  }

  /** The older turns as compacted, before the recent ones are added back. */
  private record Compacted(
      Method method,
      List<ChatMessage> older,
      ChatMessage summary,
      int toolOutputsMasked,
      int messagesRemoved,
      int modelCalls,
      List<String> rejections,
      Usage usage) {}

  /**
   * The index of the first unit kept intact: the latest always, earlier ones while they fit in
   * {@code room}.
   */
  private int keepFrom(List<List<ChatMessage>> units, int room) {
    int keepFrom = units.size();
    int kept = 0;
    while (keepFrom > 0) {
      int size = count(units.get(keepFrom - 1));
      if (keepFrom < units.size() && kept + size > room) {
        break;
      }
      kept += size;
      keepFrom--;
    }
    return keepFrom;
  }

  /** Asks for a summary up to {@link #SUMMARY_ATTEMPTS} times, then masks instead. */
  private Compacted summaryOrMasking(
      List<ChatMessage> head,
      List<List<ChatMessage>> older,
      int room,
      ChatModel model,
      String modelName)
      throws InterruptedException {
    List<ChatMessage> old = flatten(older);
    List<String> rejections = new ArrayList<>();
    Usage usage = Usage.ZERO;
    int answered = 0;
    for (int attempt = 0; attempt < SUMMARY_ATTEMPTS; attempt++) {
      ChatResponse answer;
      try {
        answer = summarise(old, head, model, modelName);
      } catch (ModelException e) {
        rejections.add(
            "the summary call failed" + (e.httpStatus() > 0 ? " with HTTP " + e.httpStatus() : ""));
        continue;
      }
      answered++;
      usage = usage.plus(answer.usage());
      Optional<String> rejection = rejection(answer);
      if (rejection.isPresent()) {
        rejections.add(rejection.get());
        continue;
      }
      ChatMessage summary = ChatMessage.user(SUMMARY_PREFIX + answer.message().text().strip());
      return new Compacted(
          Method.SUMMARY,
          List.of(summary),
          summary,
          0,
          0,
          answered,
          List.copyOf(rejections),
          usage);
    }
    ObservationMasker.Masked masked = masker.mask(older, room);
    return new Compacted(
        Method.MASKING,
        masked.messages(),
        null,
        masked.toolOutputsMasked(),
        masked.messagesRemoved(),
        answered,
        List.copyOf(rejections),
        usage);
  }

  /** Why a summary answer cannot replace the history, or empty when it can. */
  private Optional<String> rejection(ChatResponse answer) {
    ChatMessage message = answer.message();
    if (message.hasToolCalls()) {
      return Optional.of("the summary answer was a tool call");
    }
    if (message.text().isBlank()) {
      return Optional.of("the summary answer had no text");
    }
    if ("length".equals(answer.finishReason())) {
      return Optional.of("the summary was cut at the output token limit");
    }
    int size = tokens.count(message.text().strip());
    if (size > summaryTokens) {
      return Optional.of(
          "the summary was over-long (" + size + " tokens, at most " + summaryTokens + ")");
    }
    return Optional.empty();
  }

  private ChatResponse summarise(
      List<ChatMessage> old, List<ChatMessage> head, ChatModel model, String modelName)
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

  /** Halves the largest tool results and assistant texts until the request fits the budget. */
  private List<ChatMessage> shrinkToolResults(
      List<ChatMessage> context, List<JsonNode> tools, int firstShrinkable) {
    List<ChatMessage> result = new ArrayList<>(context);
    while (tokens.count(result, tools) > budget) {
      int largest = -1;
      int largestSize = MIN_TOOL_RESULT_TOKENS;
      for (int i = firstShrinkable; i < result.size(); i++) {
        ChatMessage m = result.get(i);
        if (m.isRole(ChatMessage.USER)) {
          continue; // a summary or the note on removed steps
        }
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
      total += count(message);
    }
    return total;
  }

  private int count(ChatMessage message) {
    return messageTokens.computeIfAbsent(message, tokens::count);
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
