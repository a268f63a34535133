package dev.agentoperator.runner.loop;

import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.WireFormat;
import dev.agentoperator.testing.model.ScriptedModelServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import mockwebserver3.MockResponse;

/**
 * A scripted model for compaction tests: work requests get one shell call per step (two every fifth
 * step) with sizeable output and then a final answer; summary requests (those with the compaction
 * prompt) get what the test's summariser says. Also the checks every compaction test makes on the
 * requests the model received.
 */
final class CompactionWorkload implements ScriptedModelServer.Script {

  static final String COMPACTION_PROMPT = SpecResources.compactionPrompt();

  private final int steps;
  private final IntFunction<String> command;
  private final IntFunction<MockResponse> summaries;
  private final AtomicInteger step = new AtomicInteger();
  private final AtomicInteger summaryCalls = new AtomicInteger();

  /**
   * @param command the shell command of a step (1-based)
   * @param summaries the answer to the n-th summary request (1-based)
   */
  CompactionWorkload(int steps, IntFunction<String> command, IntFunction<MockResponse> summaries) {
    this.steps = steps;
    this.command = command;
    this.summaries = summaries;
  }

  /** A run of {@code steps} steps whose summariser always writes a good summary. */
  static CompactionWorkload withGoodSummaries(int steps) {
    return new CompactionWorkload(
        steps,
        CompactionWorkload::listingCommand,
        n -> finalAnswer("Summary " + n + ": the steps so far ran echo and seq; all succeeded."));
  }

  static String listingCommand(int step) {
    return "echo step " + step + "; seq 1 60";
  }

  @Override
  public MockResponse answer(JsonNode body) {
    if (isSummaryRequest(body)) {
      return summaries.apply(summaryCalls.incrementAndGet());
    }
    int n = step.incrementAndGet();
    if (n > steps) {
      return finalAnswer("All " + steps + " steps ran.");
    }
    String first = "{\"command\":\"" + command.apply(n) + "\"}";
    return n % 5 == 0
        ? toolCalls("shell", first, "shell", "{\"command\":\"echo second " + n + "\"}")
        : toolCalls("shell", first);
  }

  int summaryCalls() {
    return summaryCalls.get();
  }

  static boolean isSummaryRequest(JsonNode body) {
    return WireFormat.requestMessages(body).getFirst().text().equals(COMPACTION_PROMPT);
  }

  static List<List<ChatMessage>> workRequests(List<JsonNode> requests) {
    return requests.stream()
        .filter(r -> !isSummaryRequest(r))
        .map(WireFormat::requestMessages)
        .toList();
  }

  /** Every request fits the budget; work requests keep the task and have no orphan tool message. */
  static void assertEveryRequestFitsWithoutOrphans(
      List<JsonNode> requests, int budget, String task) {
    TokenCounter tokens = new TokenCounter();
    for (int i = 0; i < requests.size(); i++) {
      JsonNode request = requests.get(i);
      List<ChatMessage> messages = WireFormat.requestMessages(request);
      List<JsonNode> tools = new ArrayList<>();
      request.path("tools").forEach(tools::add);
      assertThat(tokens.count(messages, tools))
          .as("tokens of request %d", i)
          .isLessThanOrEqualTo(budget);
      assertNoOrphanToolMessages(i, messages);
      if (!isSummaryRequest(request)) {
        assertThat(messages.get(1).text()).as("task kept in request %d", i).isEqualTo(task);
      }
    }
  }

  /** Compactions leave headroom: at least {@code steps} steps between two of them. */
  static void assertCompactionsAtLeastStepsApart(List<RunEvent> compactions, int steps) {
    for (int i = 1; i < compactions.size(); i++) {
      assertThat(compactions.get(i).data().path("step").asInt())
          .as("step of compaction %d", i + 1)
          .isGreaterThanOrEqualTo(compactions.get(i - 1).data().path("step").asInt() + steps);
    }
  }

  static void assertNoOrphanToolMessages(int request, List<ChatMessage> messages) {
    Set<String> open = new HashSet<>();
    for (ChatMessage message : messages) {
      if (message.isRole(ChatMessage.TOOL)) {
        assertThat(open)
            .as("request %d: tool result %s has its call", request, message.toolCallId())
            .contains(message.toolCallId());
        open.remove(message.toolCallId());
      } else {
        assertThat(open)
            .as("request %d: every tool call answered before the next message", request)
            .isEmpty();
        message.toolCalls().forEach(c -> open.add(c.id()));
      }
    }
    assertThat(open).as("request %d: no unanswered tool call at the end", request).isEmpty();
  }
}
