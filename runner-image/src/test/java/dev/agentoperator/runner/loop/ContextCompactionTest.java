package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.runner.loop.ScriptedModelServer.finalAnswer;
import static dev.agentoperator.runner.loop.ScriptedModelServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.events.EventType;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.llm.WireFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextCompactionTest {

  private static final int BUDGET = 4096;
  private static final String TASK = "Run the fifty diagnostic steps and report.";

  @TempDir Path root;
  LoopFixture fx;
  final TokenCounter tokens = new TokenCounter();

  @BeforeEach
  void setUp() {
    fx = new LoopFixture(root);
    fx.contextBudget = BUDGET;
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void shouldKeepEveryRequestOfA50StepRunUnderA4096TokenBudgetWithoutOrphanToolMessages() {
    // given a model that works for 50 steps, sometimes with two tool calls, with sizeable output
    String compactionPrompt = SpecResources.compactionPrompt();
    AtomicInteger steps = new AtomicInteger();
    fx.server.otherwise(
        body -> {
          List<ChatMessage> messages = WireFormat.requestMessages(body);
          if (messages.getFirst().text().equals(compactionPrompt)) {
            return finalAnswer("Steps so far ran echo and seq; every one succeeded.");
          }
          int step = steps.incrementAndGet();
          if (step > 50) {
            return finalAnswer("All 50 steps ran.");
          }
          String command = "{\"command\":\"echo step " + step + "; seq 1 60\"}";
          return step % 5 == 0
              ? toolCalls("shell", command, "shell", "{\"command\":\"echo second " + step + "\"}")
              : toolCalls("shell", command);
        });
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("compact-1", TASK));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.steps()).isEqualTo(51);
    assertThat(eventsOf(loop, EventType.CONTEXT_COMPACTED)).hasSizeGreaterThan(3);
    List<JsonNode> requests = fx.server.requests();
    assertThat(requests).hasSizeGreaterThan(51);
    for (int i = 0; i < requests.size(); i++) {
      JsonNode request = requests.get(i);
      List<ChatMessage> messages = WireFormat.requestMessages(request);
      List<JsonNode> tools = new ArrayList<>();
      request.path("tools").forEach(tools::add);
      assertThat(tokens.count(messages, tools))
          .as("tokens of request %d", i)
          .isLessThanOrEqualTo(BUDGET);
      assertNoOrphanToolMessages(i, messages);
      if (!messages.getFirst().text().equals(compactionPrompt)) {
        assertThat(messages.get(1).text()).as("task kept in request %d", i).isEqualTo(TASK);
        assertThat(tools).hasSize(12);
      }
    }
  }

  @Test
  void shouldFailClearlyWhenTheToolSchemasAloneExceedTheBudget() {
    // given a budget smaller than the twelve tool schemas
    fx.contextBudget = 1000;

    // when
    RunResult result = fx.loop(TestPolicies.runAllowingEveryTool("tiny-1", TASK)).run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("ContextBudgetTooSmall");
    assertThat(result.message()).contains("context budget of 1000 tokens is too small");
    assertThat(fx.server.requestCount()).isZero();
  }

  @Test
  void shouldGroupAnAssistantMessageWithItsToolResults() {
    ChatMessage call =
        ChatMessage.assistant(
            null, List.of(new ToolCall("a", "shell", "{}"), new ToolCall("b", "shell", "{}")));
    List<List<ChatMessage>> units =
        ContextCompactor.units(
            List.of(
                ChatMessage.assistant("thinking", List.of()),
                call,
                ChatMessage.toolResult("a", "1"),
                ChatMessage.toolResult("b", "2"),
                ChatMessage.user("more")));

    assertThat(units).extracting(List::size).containsExactly(1, 3, 1);
  }

  private static void assertNoOrphanToolMessages(int request, List<ChatMessage> messages) {
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
