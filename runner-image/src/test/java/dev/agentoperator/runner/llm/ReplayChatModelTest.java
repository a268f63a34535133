package dev.agentoperator.runner.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.runner.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayChatModelTest {

  private static final String CASSETTE =
      """
      turns:
        - content: "Looking around."
          toolCalls:
            - name: list_dir
              arguments: {path: "."}
          usage: {input: 100, output: 10}
        - expectToolResult: "pom.xml"
          toolCalls:
            - id: run-tests
              name: shell
              arguments: '{"command": "mvn test"'
        - content: "Done."
      """;

  private static ChatRequest requestWithToolResult(String result) {
    return new ChatRequest(
        "m",
        List.of(
            ChatMessage.user("task"),
            ChatMessage.assistant(null, List.of(new ToolCall("c", "list_dir", "{}"))),
            ChatMessage.toolResult("c", result)),
        List.of(),
        null,
        null);
  }

  @Test
  void shouldPlayTheTurnsInOrder() {
    // given
    ReplayChatModel model = new ReplayChatModel(Cassette.parse("demo.yaml", CASSETTE));

    // when
    ChatResponse first = model.complete(requestWithToolResult(""));
    ChatResponse second = model.complete(requestWithToolResult("pom.xml\nsrc/"));
    ChatResponse third = model.complete(requestWithToolResult("BUILD SUCCESS"));

    // then
    assertThat(first.message().toolCalls())
        .containsExactly(new ToolCall("call_1_1", "list_dir", "{\"path\":\".\"}"));
    assertThat(first.usage()).isEqualTo(Usage.of(100, 10));
    assertThat(first.finishReason()).isEqualTo("tool_calls");
    assertThat(second.message().toolCalls())
        .containsExactly(new ToolCall("run-tests", "shell", "{\"command\": \"mvn test\""));
    assertThat(second.usage().estimated()).isTrue();
    assertThat(third.message().content()).isEqualTo("Done.");
    assertThat(third.message().hasToolCalls()).isFalse();
    assertThat(third.finishReason()).isEqualTo("stop");
  }

  @Test
  void shouldFailClearlyWhenTheExpectedToolResultIsMissing() {
    // given
    ReplayChatModel model = new ReplayChatModel(Cassette.parse("demo.yaml", CASSETTE));
    model.complete(requestWithToolResult(""));

    // when / then
    assertThatThrownBy(() -> model.complete(requestWithToolResult("No such file")))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("demo.yaml turn 2")
        .hasMessageContaining("expected a tool result containing 'pom.xml'")
        .hasMessageContaining("'No such file'");
  }

  @Test
  void shouldFailClearlyWhenTheCassetteRunsOutOfTurns() {
    // given
    ReplayChatModel model =
        new ReplayChatModel(Cassette.parse("short.yaml", "turns:\n  - content: hi\n"));
    model.complete(requestWithToolResult(""));

    // when / then
    assertThatThrownBy(() -> model.complete(requestWithToolResult("")))
        .hasMessageContaining(
            "replay cassette short.yaml has 1 turns and the run asked for turn 2");
  }

  @Test
  void shouldRejectATurnWithNeitherContentNorToolCalls() {
    assertThatThrownBy(() -> Cassette.parse("bad.yaml", "turns:\n  - usage: {input: 1}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.yaml turn 1 has neither content nor toolCalls");
  }

  @Test
  void shouldRejectACassetteWithoutTurns() {
    assertThatThrownBy(() -> Cassette.parse("empty.yaml", "steps: []\n"))
        .hasMessageContaining("empty.yaml has no 'turns' list");
  }

  @Test
  void shouldRecordEachTurnSoThatItReplaysIdentically(@TempDir Path dir) throws Exception {
    // given a recorder around a live model (here: a replay of a known cassette)
    Path file = dir.resolve("recorded.yaml");
    RecordingChatModel recorder =
        new RecordingChatModel(new ReplayChatModel(Cassette.parse("demo.yaml", CASSETTE)), file);

    // when
    ChatResponse first = recorder.complete(requestWithToolResult(""));
    ChatResponse second = recorder.complete(requestWithToolResult("pom.xml"));

    // then
    assertThat(Files.readString(file)).contains("list_dir").contains("shell");
    ReplayChatModel replay = new ReplayChatModel(Cassette.load(file));
    assertThat(replay.complete(requestWithToolResult("")).message()).isEqualTo(first.message());
    assertThat(replay.complete(requestWithToolResult("")).message()).isEqualTo(second.message());
    assertThat(replay.played()).isEqualTo(2);
  }
}
