package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopResumeTest {

  @TempDir Path root;
  LoopFixture fx;

  @BeforeEach
  void setUp() {
    fx = new LoopFixture(root);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  /** Stands for the runner process dying: an Error no loop code catches. */
  static final class ProcessDied extends Error {}

  /** The real tools, except that the process "dies" when a shell command mentions {@code die}. */
  static ToolBox dyingOn(ToolBox real) {
    return new ToolBox() {
      @Override
      public List<JsonNode> schemas() {
        return real.schemas();
      }

      @Override
      public CheckedCall prepare(String toolName, String rawArgumentsJson) {
        CheckedCall checked = real.prepare(toolName, rawArgumentsJson);
        return new CheckedCall() {
          @Override
          public String toolName() {
            return checked.toolName();
          }

          @Override
          public String mainArgument() {
            return checked.mainArgument();
          }

          @Override
          public Optional<ToolResult> rejection() {
            return checked.rejection();
          }

          @Override
          public ToolResult execute(ToolContext context) throws InterruptedException {
            if (checked.mainArgument().contains("die")) {
              throw new ProcessDied();
            }
            return checked.execute(context);
          }
        };
      }

      @Override
      public boolean mayChangeFiles(String toolName) {
        return real.mayChangeFiles(toolName);
      }
    };
  }

  @Test
  void shouldResumeInAFreshLoopWithoutRepeatingRecordedToolCalls() throws Exception {
    // given a run whose process died during the second of three tool calls of step 2
    String first = "{\"command\":\"echo one >> log.txt\"}";
    String second = "{\"command\":\"echo two >> log.txt # die\"}";
    String third = "{\"command\":\"echo three >> log.txt\"}";
    fx.server
        .then(toolCalls("shell", "{\"command\":\"echo start >> log.txt\"}"))
        .then(toolCalls("shell", first, "shell", second, "shell", third))
        .then(finalAnswer("Logged everything."));
    RunSpec spec = TestPolicies.runAllowingEveryTool("resume-1", "Write the log");
    AgentLoop dying = fx.loop(fx.config(fx.openAiModel()).withTools(dyingOn(fx.tools)), spec);
    assertThatThrownBy(dying::run).isInstanceOf(ProcessDied.class);
    long eventsBefore = dying.events().lastSeq();

    // when a new loop object resumes with the same directories and working tools
    AgentLoop fresh = fx.loop(spec);
    RunResult result = fresh.resume();

    // then the recorded calls ran once, the pending ones ran, and the model was asked only once
    // more
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.steps()).isEqualTo(3);
    assertThat(result.toolCalls()).isEqualTo(4);
    assertThat(Files.readAllLines(fx.workspace.resolve("log.txt")))
        .containsExactly("start", "one", "two", "three");
    assertThat(fx.server.requestCount()).isEqualTo(3);
    List<ChatMessage> lastRequest = fx.messagesOf(2);
    assertThat(lastRequest).filteredOn(m -> m.isRole(ChatMessage.TOOL)).hasSize(4);
    RunEvent restarted = fresh.events().all().get((int) eventsBefore);
    assertThat(restarted.seq()).isEqualTo(eventsBefore + 1);
    assertThat(restarted.type()).isEqualTo(EventType.RUN_STARTED);
    assertThat(restarted.data().path("resumed").asBoolean()).isTrue();
    assertThat(eventsOf(fresh, EventType.RUN_STARTED)).hasSize(2);
    assertThat(new RunFiles(fx.state, "resume-1").readTranscript())
        .filteredOn(m -> m.isRole(ChatMessage.TOOL))
        .hasSize(4);
  }

  @Test
  void shouldMarkACallThatWasRunningWhenTheProcessDiedAsRetriedAndNoOtherCall() throws Exception {
    // given a run whose process died inside the second of three tool calls (started, no result)
    fx.server
        .then(toolCalls("shell", "{\"command\":\"echo one >> log.txt\"}",
            "shell", "{\"command\":\"echo two >> log.txt # die\"}",
            "shell", "{\"command\":\"echo three >> log.txt\"}"))
        .then(finalAnswer("Done."));
    RunSpec spec = TestPolicies.runAllowingEveryTool("resume-retried", "Write the log");
    AgentLoop dying = fx.loop(fx.config(fx.openAiModel()).withTools(dyingOn(fx.tools)), spec);
    assertThatThrownBy(dying::run).isInstanceOf(ProcessDied.class);

    // when a new loop resumes it
    AgentLoop fresh = fx.loop(spec);
    RunResult result = fresh.resume();

    // then only the interrupted call is marked as run again, in the transcript, in what the model
    // is sent and in its tool.called event; the call that never started is not
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    List<ChatMessage> toolResults = new RunFiles(fx.state, "resume-retried").readTranscript()
        .stream().filter(m -> m.isRole(ChatMessage.TOOL)).toList();
    assertThat(toolResults).hasSize(3);
    assertThat(toolResults.get(0).text()).doesNotContain(ToolStep.RETRIED_NOTE);
    assertThat(toolResults.get(1).text()).startsWith(ToolStep.RETRIED_NOTE);
    assertThat(toolResults.get(2).text()).doesNotContain(ToolStep.RETRIED_NOTE);
    assertThat(fx.messagesOf(1)).filteredOn(m -> m.isRole(ChatMessage.TOOL))
        .filteredOn(m -> m.text().startsWith(ToolStep.RETRIED_NOTE)).hasSize(1);
    List<RunEvent> called = eventsOf(fresh, EventType.TOOL_CALLED);
    assertThat(called).extracting(e -> e.data().path("retried").asBoolean())
        .containsExactly(false, false, true, false);
    assertThat(called.get(2).data().path("callId").asText())
        .isEqualTo(called.get(1).data().path("callId").asText());
  }

  @Test
  void shouldReturnTheRecordedResultWhenResumingAFinishedRun() {
    // given
    fx.server.then(finalAnswer("Nothing to do."));
    RunSpec spec = TestPolicies.runAllowingEveryTool("resume-2", "Nothing");
    fx.loop(spec).run();

    // when
    RunResult again = fx.loop(spec).resume();

    // then
    assertThat(again.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(again.result()).isEqualTo("Nothing to do.");
    assertThat(fx.server.requestCount()).isEqualTo(1);
  }

  @Test
  void shouldRefuseToStartARunThatAlreadyHasACheckpoint() {
    fx.server.then(finalAnswer("Done."));
    RunSpec spec = TestPolicies.runAllowingEveryTool("resume-3", "Once");
    fx.loop(spec).run();

    assertThatThrownBy(() -> fx.loop(spec).run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already has a checkpoint");
  }

  @Test
  void shouldSuspendARunningToolAndRunItAgainOnResume() throws Exception {
    // given a run in a long command that finishes at once the second time
    String command =
        "{\"command\":\"if [ -f started ]; then echo second run; else touch started; sleep 60;"
            + " fi\",\"timeout_seconds\":120}";
    fx.server.then(toolCalls("shell", command)).then(finalAnswer("Finished."));
    RunSpec spec = TestPolicies.runAllowingEveryTool("suspend-1", "Run the long command");
    AgentLoop first = fx.loop(spec);
    java.util.concurrent.CompletableFuture<RunResult> running = fx.start(first);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> !eventsOf(first, EventType.TOOL_CALLED).isEmpty());

    // when the runner shuts down, then a new one resumes
    first.suspend();
    RunResult suspended = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
    RunResult resumed = fx.loop(spec).resume();

    // then
    assertThat(suspended.phase()).isEqualTo(RunPhase.Running);
    assertThat(suspended.reason()).isEqualTo("Suspended");
    assertThat(eventsOf(first, EventType.RUN_CANCELLED)).isEmpty();
    assertThat(resumed.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(resumed.result()).isEqualTo("Finished.");
    assertThat(fx.messagesOf(1).getLast().text()).contains("second run");
    assertThat(fx.server.requestCount()).isEqualTo(2);
  }
}
