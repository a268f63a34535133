package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

  @TempDir Path state;

  private static final List<ChatMessage> CONTEXT =
      List.of(
          ChatMessage.system("sys"),
          ChatMessage.user("task"),
          ChatMessage.assistant(null, List.of(new ToolCall("c1", "shell", "{\"command\":\"ls\"}"))),
          ChatMessage.toolResult("c1", "a.txt"));

  @Test
  void shouldReadBackTheCheckpointItWrote() {
    // given
    RunFiles files = new RunFiles(state, "r1");
    Checkpoint written =
        new Checkpoint(
            "r1",
            RunPhase.Running,
            null,
            3,
            2,
            new Usage(10, 5, 15, true),
            Instant.parse("2026-11-22T13:00:00Z"),
            null,
            null,
            CONTEXT,
            4);

    // when
    files.writeCheckpoint(written);

    // then
    assertThat(new RunFiles(state, "r1").readCheckpoint()).contains(written);
    assertThat(state.resolve("runs/r1/checkpoint.json.tmp")).doesNotExist();
  }

  @Test
  void shouldDropATornLastTranscriptLineAndAppendAfterIt() throws Exception {
    // given a transcript whose last append was cut short
    RunFiles files = new RunFiles(state, "r2");
    CONTEXT.forEach(files::appendTranscript);
    Files.writeString(
        state.resolve("runs/r2/transcript.jsonl"), "{\"role\":\"ass", StandardOpenOption.APPEND);

    // when
    RunFiles reopened = new RunFiles(state, "r2");
    reopened.appendTranscript(ChatMessage.user("next"));

    // then
    assertThat(reopened.readTranscript()).hasSize(5).last().isEqualTo(ChatMessage.user("next"));
    assertThat(reopened.transcriptLines()).isEqualTo(5);
  }

  @Test
  void shouldNameTheFileOfAnUnreadableCheckpoint() throws Exception {
    RunFiles files = new RunFiles(state, "r3");
    Files.writeString(state.resolve("runs/r3/checkpoint.json"), "{not json");

    assertThatThrownBy(files::readCheckpoint)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint.json is unreadable");
  }
}
