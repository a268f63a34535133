package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.shell.ShellTool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextCompactionTest {

  private static final int BUDGET = 4096;
  private static final String TASK = "Run the fifty diagnostic steps and report.";

  @TempDir Path root;
  LoopFixture fx;

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
    fx.server.otherwise(CompactionWorkload.withGoodSummaries(50));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("compact-1", TASK));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.steps()).isEqualTo(51);
    assertThat(eventsOf(loop, EventType.CONTEXT_COMPACTED)).hasSizeGreaterThan(1);
    List<JsonNode> requests = fx.server.requests();
    assertThat(requests).hasSizeGreaterThan(51);
    CompactionWorkload.assertEveryRequestFitsWithoutOrphans(requests, BUDGET, TASK);
  }

  @Test
  void shouldCompactOnlyAFewTimesInA30StepRunNearTheBudget() {
    // given a 30-step run whose context outgrows a 4096-token budget after a few steps
    // (the workload calls only shell; the count must not move whenever a tool joins the standard set)
    fx.tools = LoopFixture.inProcessTools(new ShellTool(ToolSettings.defaults()));
    CompactionWorkload model = CompactionWorkload.withGoodSummaries(30);
    fx.server.otherwise(model);
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("compact-30", TASK));

    // when
    RunResult result = loop.run();

    // then compaction leaves headroom: a handful of compactions, one summary call each
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.steps()).isEqualTo(31);
    List<RunEvent> compactions = eventsOf(loop, EventType.CONTEXT_COMPACTED);
    assertThat(compactions).hasSizeBetween(1, 4);
    assertThat(model.summaryCalls()).isEqualTo(compactions.size());
    for (RunEvent compaction : compactions) {
      assertThat(compaction.data().path("method").asText()).isEqualTo("summary");
      assertThat(compaction.data().path("modelCalls").asInt()).isEqualTo(1);
    }
    CompactionWorkload.assertCompactionsAtLeastStepsApart(compactions, 5);
    CompactionWorkload.assertEveryRequestFitsWithoutOrphans(fx.server.requests(), BUDGET, TASK);
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

  @Test
  void shouldMaskOldToolOutputsWithPlaceholdersNamingTheCallAndRemoveOnlyWholeTurns() {
    // given a summary and two earlier turns with sizeable tool output
    String output = "line of output\n".repeat(200);
    ChatMessage summary = ChatMessage.user(ContextCompactor.SUMMARY_PREFIX + "Listed the files.");
    List<ChatMessage> first =
        List.of(
            ChatMessage.assistant(null, List.of(new ToolCall("a", "shell", "{}"))),
            ChatMessage.toolResult("a", output));
    List<ChatMessage> second =
        List.of(
            ChatMessage.assistant(
                "two reads",
                List.of(new ToolCall("b", "read_file", "{}"), new ToolCall("c", "grep", "{}"))),
            ChatMessage.toolResult("b", output),
            ChatMessage.toolResult("c", "short"));
    TokenCounter tokens = new TokenCounter();
    ObservationMasker masker = new ObservationMasker(tokens::count);
    List<List<ChatMessage>> units = List.of(List.of(summary), first, second);

    // when there is room for every turn once masked, and when there is one token less
    ObservationMasker.Masked roomy = masker.mask(units, 10_000);
    int allMasked = roomy.messages().stream().mapToInt(tokens::count).sum();
    ObservationMasker.Masked tight = masker.mask(units, allMasked - 1);

    // then outputs are masked, short ones kept, and a turn goes only with all its results
    assertThat(roomy.toolOutputsMasked()).isEqualTo(2);
    assertThat(roomy.messagesRemoved()).isZero();
    assertThat(roomy.messages())
        .extracting(ChatMessage::text)
        .containsExactly(
            summary.text(),
            "",
            "[Output of shell call a (805 tokens) was removed to save context.]",
            "two reads",
            "[Output of read_file call b (805 tokens) was removed to save context.]",
            "short");
    assertThat(tight.messagesRemoved()).isEqualTo(2);
    assertThat(tight.messages())
        .extracting(ChatMessage::text)
        .startsWith(summary.text(), ObservationMasker.REMOVED_NOTE, "two reads")
        .hasSize(5);
  }
}
