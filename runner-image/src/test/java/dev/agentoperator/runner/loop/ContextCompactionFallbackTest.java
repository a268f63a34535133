package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.json;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.WireFormat;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.shell.ShellTool;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A summariser that misbehaves never costs the run its history: the summary is rejected, asked for
 * once more, and then old tool outputs are masked instead (no model call).
 */
class ContextCompactionFallbackTest {

  private static final int BUDGET = 4096;
  private static final String TASK = "Run the thirty diagnostic steps and report.";

  /** Ways a summary answer can be unusable, and how the rejection says so. */
  enum BadSummary {
    EMPTY_TEXT(() -> finalAnswer(""), "had no text", 2),
    TOOL_CALL(() -> toolCalls("shell", "{\"command\":\"ls\"}"), "was a tool call", 2),
    HTTP_ERROR(
        () -> json(400, "{\"error\":{\"message\":\"summaries are broken\"}}"),
        "failed with HTTP 400",
        0),
    OVER_LONG(() -> finalAnswer("and so on ".repeat(1500)), "over-long", 2);

    final Supplier<MockResponse> answer;
    final String rejection;
    final int answeredCalls;

    BadSummary(Supplier<MockResponse> answer, String rejection, int answeredCalls) {
      this.answer = answer;
      this.rejection = rejection;
      this.answeredCalls = answeredCalls;
    }
  }

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

  @ParameterizedTest
  @EnumSource(BadSummary.class)
  void shouldMaskOldToolOutputsInsteadOfLosingTheHistoryWhenSummariesAreUnusable(BadSummary bad) {
    // given a 30-step run whose every summary answer is unusable
    // (the workload calls only shell; the count must not move whenever a tool joins the standard set)
    fx.tools = LoopFixture.inProcessTools(new ShellTool(ToolSettings.defaults()));
    CompactionWorkload model =
        new CompactionWorkload(30, CompactionWorkload::listingCommand, n -> bad.answer.get());
    fx.server.otherwise(model);
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("bad-" + bad, TASK));

    // when
    RunResult result = loop.run();

    // then each compaction tried twice, then masked; the run went on with its history
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.steps()).isEqualTo(31);
    List<RunEvent> compactions = eventsOf(loop, EventType.CONTEXT_COMPACTED);
    assertThat(compactions).hasSizeBetween(1, 4);
    for (RunEvent compaction : compactions) {
      assertThat(compaction.data().path("method").asText()).isEqualTo("masking");
      assertThat(compaction.data().path("modelCalls").asInt()).isEqualTo(bad.answeredCalls);
      assertThat(compaction.data().path("summaryRejected"))
          .hasSize(2)
          .allSatisfy(reason -> assertThat(reason.asText()).contains(bad.rejection));
    }
    CompactionWorkload.assertCompactionsAtLeastStepsApart(compactions, 5);
    CompactionWorkload.assertEveryRequestFitsWithoutOrphans(fx.server.requests(), BUDGET, TASK);
    List<List<ChatMessage>> work = CompactionWorkload.workRequests(fx.server.requests());
    assertThat(work)
        .flatMap(messages -> messages)
        .noneMatch(m -> m.text().startsWith(ContextCompactor.SUMMARY_PREFIX.strip()));
    assertThat(afterFirstCompaction())
        .as("earlier calls are still there, their outputs masked and naming the call")
        .anySatisfy(
            m -> assertThat(m.text()).startsWith(ObservationMasker.MASKED_PREFIX + "shell call "))
        .filteredOn(ChatMessage::hasToolCalls)
        .hasSizeGreaterThan(2);
  }

  @Test
  void shouldUseTheSecondSummaryWhenTheFirstHasNoText() {
    // given a summariser whose first answer is empty
    CompactionWorkload model =
        new CompactionWorkload(
            12,
            CompactionWorkload::listingCommand,
            n -> finalAnswer(n == 1 ? "  " : "Steps 1 to 8 listed numbers; all succeeded."));
    fx.server.otherwise(model);
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("retry-1", TASK));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    RunEvent first = eventsOf(loop, EventType.CONTEXT_COMPACTED).getFirst();
    assertThat(first.data().path("method").asText()).isEqualTo("summary");
    assertThat(first.data().path("modelCalls").asInt()).isEqualTo(2);
    assertThat(first.data().path("summaryRejected")).hasSize(1);
    assertThat(afterFirstCompaction())
        .extracting(ChatMessage::text)
        .contains(ContextCompactor.SUMMARY_PREFIX + "Steps 1 to 8 listed numbers; all succeeded.");
  }

  @Test
  void shouldResumeFromTheMaskedContextOfTheCheckpointWithoutOrphans() {
    // given a run that masked its context (no usable summary) and died during step 14
    CompactionWorkload model =
        new CompactionWorkload(
            20,
            step -> CompactionWorkload.listingCommand(step) + (step == 14 ? " # die" : ""),
            n -> finalAnswer(""));
    fx.server.otherwise(model);
    RunSpec spec = TestPolicies.runAllowingEveryTool("resume-masked", TASK);
    AgentLoop dying =
        fx.loop(fx.config(fx.openAiModel()).withTools(AgentLoopResumeTest.dyingOn(fx.tools)), spec);
    assertThatThrownBy(dying::run).isInstanceOf(AgentLoopResumeTest.ProcessDied.class);
    assertThat(eventsOf(dying, EventType.CONTEXT_COMPACTED)).isNotEmpty();
    int requestsBefore = fx.server.requestCount();

    // when a fresh loop resumes the run
    AgentLoop fresh = fx.loop(spec);
    RunResult result = fresh.resume();

    // then it continues from the masked checkpoint; the transcript keeps every output whole
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.steps()).isEqualTo(21);
    CompactionWorkload.assertEveryRequestFitsWithoutOrphans(fx.server.requests(), BUDGET, TASK);
    List<ChatMessage> firstAfterResume = fx.messagesOf(requestsBefore);
    assertThat(firstAfterResume)
        .anySatisfy(m -> assertThat(m.text()).startsWith(ObservationMasker.MASKED_PREFIX));
    List<ChatMessage> transcript = new RunFiles(fx.state, "resume-masked").readTranscript();
    assertThat(transcript)
        .filteredOn(m -> m.isRole(ChatMessage.TOOL))
        .hasSize(result.toolCalls())
        .noneMatch(m -> m.text().startsWith(ObservationMasker.MASKED_PREFIX));
  }

  /** The messages of the first work request sent after the first summary request. */
  private List<ChatMessage> afterFirstCompaction() {
    List<JsonNode> requests = fx.server.requests();
    boolean compacting = false;
    for (JsonNode request : requests) {
      if (CompactionWorkload.isSummaryRequest(request)) {
        compacting = true;
      } else if (compacting) {
        return WireFormat.requestMessages(request);
      }
    }
    throw new AssertionError("no request was sent after a compaction");
  }
}
