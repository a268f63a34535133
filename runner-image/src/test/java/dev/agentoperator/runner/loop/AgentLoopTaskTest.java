package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.runner.loop.LoopFixture.types;
import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.streamedText;
import static dev.agentoperator.testing.model.ModelAnswers.streamedToolCall;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.llm.Cassette;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ReplayChatModel;
import dev.agentoperator.testing.model.ModelAnswers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopTaskTest {

  @TempDir Path root;
  LoopFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new LoopFixture(root);
    Files.writeString(fx.workspace.resolve("greeting.txt"), "Hello wrld\n");
    Files.writeString(
        fx.workspace.resolve("test.sh"),
        "grep -q 'Hello world' greeting.txt && echo 'TESTS PASS' || { echo 'TESTS FAIL'; exit 1;"
            + " }\n");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void shouldEditAFileAndRunTheTestsInAStreamedMultiStepTask() throws Exception {
    // given a streaming model that reads, edits, tests, then answers
    fx.stream = true;
    fx.server
        .then(streamedToolCall("c1", "read_file", "{\"path\":\"greeting.txt\"}"))
        .then(
            streamedToolCall(
                "c2",
                "edit_file",
                "{\"path\":\"greeting.txt\",\"old_string\":\"wrld\",\"new_string\":\"world\"}"))
        .then(streamedToolCall("c3", "shell", "{\"command\":\"sh test.sh\"}"))
        .then(streamedText("Fixed the typo; the tests pass."));
    AgentLoop loop =
        fx.loop(
            TestPolicies.runAllowingEveryTool(
                "task-1", "Fix the greeting so that test.sh passes."));

    // when
    RunResult result = loop.run();

    // then the file really changed and the shell really ran
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.reason()).isEqualTo("Completed");
    assertThat(result.result()).isEqualTo("Fixed the typo; the tests pass.");
    assertThat(result.steps()).isEqualTo(4);
    assertThat(result.toolCalls()).isEqualTo(3);
    // three streamed usage chunks of 225, and an estimate for the last answer that sent none
    assertThat(result.usage().totalTokens()).isGreaterThan(3 * 225);
    assertThat(result.usage().estimated()).isTrue();
    assertThat(Files.readString(fx.workspace.resolve("greeting.txt"))).isEqualTo("Hello world\n");
    List<ChatMessage> lastRequest = fx.messagesOf(3);
    assertThat(lastRequest.get(0).role()).isEqualTo("system");
    assertThat(lastRequest.get(1).text()).isEqualTo("Fix the greeting so that test.sh passes.");
    assertThat(lastRequest)
        .filteredOn(m -> m.isRole(ChatMessage.TOOL))
        .extracting(ChatMessage::toolCallId)
        .containsExactly("c1", "c2", "c3");
    assertThat(lastRequest.getLast().text()).contains("TESTS PASS");
    assertThat(fx.server.requests().getFirst().path("tools")).hasSize(14);

    // and the run is recorded: events, transcript, checkpoint, stdout
    assertThat(types(loop))
        .startsWith(
            EventType.RUN_STARTED,
            EventType.STEP_STARTED,
            EventType.LLM_COMPLETED,
            EventType.TOOL_CALLED,
            EventType.TOOL_RESULT)
        .endsWith(EventType.STEP_STARTED, EventType.LLM_COMPLETED, EventType.RUN_SUCCEEDED);
    assertThat(eventsOf(loop, EventType.TOOL_CALLED))
        .extracting(e -> e.data().path("argument").asText())
        .containsExactly("greeting.txt", "greeting.txt", "sh test.sh");
    assertThat(Files.readAllLines(fx.runDir("task-1").resolve(RunFiles.TRANSCRIPT)))
        .hasSize(2 + 4 + 3);
    assertThat(new RunFiles(fx.state, "task-1").readCheckpoint().orElseThrow().phase())
        .isEqualTo(RunPhase.Succeeded);
    assertThat(fx.stdout())
        .contains("> shell sh test.sh")
        .contains("< shell ok")
        .contains("== run succeeded: 4 step(s), 3 tool call(s)")
        .contains("Fixed the typo; the tests pass.");
  }

  @Test
  void shouldSendAMalformedToolCallBackAsAnErrorAndContinue() throws Exception {
    // given a model whose first call has broken JSON arguments
    fx.server
        .then(toolCalls("write_file", "{\"path\": \"notes.txt\", \"content\": "))
        .then(toolCalls("write_file", "{\"path\": \"notes.txt\", \"content\": \"ok\"}"))
        .then(finalAnswer("Wrote the notes."));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("malformed-1", "Write notes.txt"));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    ChatMessage firstResult = fx.messagesOf(1).getLast();
    assertThat(firstResult.role()).isEqualTo(ChatMessage.TOOL);
    assertThat(firstResult.text()).startsWith("Error: ").contains("not valid JSON");
    assertThat(Files.readString(fx.workspace.resolve("notes.txt"))).isEqualTo("ok");
    assertThat(eventsOf(loop, EventType.TOOL_RESULT).getFirst().data().path("rejected").asBoolean())
        .isTrue();
    assertThat(eventsOf(loop, EventType.TOOL_CALLED)).hasSize(1);
  }

  @Test
  void shouldAnswerAnUnknownToolWithTheListOfTools() throws Exception {
    // given
    fx.server.then(toolCalls("run_tests", "{}")).then(finalAnswer("Sorry."));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("unknown-1", "Run the tests"));

    // when
    loop.run();

    // then
    assertThat(fx.messagesOf(1).getLast().text())
        .contains("unknown tool 'run_tests'")
        .contains("shell");
  }

  @Test
  void shouldPlayAReplayCassetteAgainstTheRealTools() throws Exception {
    // given
    Cassette cassette =
        Cassette.parse(
            "fix.yaml",
            """
            turns:
              - toolCalls:
                  - name: edit_file
                    arguments: {path: greeting.txt, old_string: wrld, new_string: world}
              - expectToolResult: ""
                toolCalls:
                  - name: shell
                    arguments: {command: sh test.sh}
              - expectToolResult: TESTS PASS
                content: Fixed.
            """);
    AgentLoop loop =
        fx.loop(
            fx.config(new ReplayChatModel(cassette)),
            TestPolicies.runAllowingEveryTool("replay-1", "Fix it"));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.result()).isEqualTo("Fixed.");
    assertThat(Files.readString(fx.workspace.resolve("greeting.txt"))).isEqualTo("Hello world\n");
  }

  @Test
  void shouldFailTheRunClearlyWhenAReplayExpectationIsNotMet() throws Exception {
    // given a cassette recorded when the tests passed, replayed against an unfixed workspace
    Cassette cassette =
        Cassette.parse(
            "stale.yaml",
            """
            turns:
              - toolCalls:
                  - name: shell
                    arguments: {command: sh test.sh}
              - expectToolResult: TESTS PASS
                content: All good.
            """);
    AgentLoop loop =
        fx.loop(
            fx.config(new ReplayChatModel(cassette)),
            TestPolicies.runAllowingEveryTool("replay-2", "Test"));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("ModelError");
    assertThat(result.message())
        .contains("stale.yaml turn 2 expected a tool result containing 'TESTS PASS'")
        .contains("TESTS FAIL");
    assertThat(types(loop)).last().isEqualTo(EventType.RUN_FAILED);
  }

  @Test
  void shouldSnapshotAfterStepsThatMayChangeFilesAndAtTheEnd() throws Exception {
    // given a hook that records its calls and makes a "commit" each time
    List<String> calls = new java.util.ArrayList<>();
    SnapshotHook hook =
        (runUid, step, message) -> {
          calls.add(step + ":" + message);
          return java.util.Optional.of("commit-" + calls.size());
        };
    fx.server
        .then(toolCalls("read_file", "{\"path\":\"greeting.txt\"}"))
        .then(toolCalls("write_file", "{\"path\":\"out.txt\",\"content\":\"x\"}"))
        .then(finalAnswer("Done."));
    AgentLoop loop =
        fx.loop(
            fx.config(fx.openAiModel()).withSnapshots(hook),
            TestPolicies.runAllowingEveryTool("snap-1", "Go"));

    // when
    loop.run();

    // then the read-only step made no snapshot; the writing step and the end did
    assertThat(calls).containsExactly("2:step 2", "3:run succeeded after step 3");
    assertThat(eventsOf(loop, EventType.SNAPSHOT_CREATED))
        .extracting(e -> e.data().path("commit").asText())
        .containsExactly("commit-1", "commit-2");
    assertThat(types(loop)).endsWith(EventType.SNAPSHOT_CREATED, EventType.RUN_SUCCEEDED);
  }

  @Test
  void shouldSayWhenTheFinalAnswerWasCutAtTheOutputLimit() {
    // given
    fx.server.then(
        ModelAnswers.json(
            200,
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"The fix is to\"},"
                + "\"finish_reason\":\"length\"}]}"));

    // when
    RunResult result = fx.loop(TestPolicies.runAllowingEveryTool("length-1", "Explain")).run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.result()).isEqualTo("The fix is to");
    assertThat(result.message()).contains("cut at the output token limit");
    assertThat(result.usage().estimated()).isTrue();
  }

  @Test
  void shouldCapTheSucceededEventsResultInBytesNotCharactersWithoutSplittingACharacter()
      throws Exception {
    // given an answer of 3000 two-byte characters: under 4096 characters, 6000 bytes
    String answer = "é".repeat(3000);
    fx.server.then(finalAnswer(answer));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("cap-1", "Answer at length."));

    // when
    RunResult result = loop.run();

    // then the run keeps the whole answer and the event carries the first 4096 bytes of it
    assertThat(result.result()).isEqualTo(answer);
    JsonNode data = eventsOf(loop, EventType.RUN_SUCCEEDED).getFirst().data();
    String capped = data.path("result").asText();
    assertThat(capped.getBytes(StandardCharsets.UTF_8)).hasSize(4096);
    assertThat(capped).isEqualTo("é".repeat(2048));
    assertThat(data.path("truncated").asBoolean()).isTrue();
  }
}
