package dev.agentoperator.runner.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.runner.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleReporterTest {

  @TempDir Path dir;

  private String print(ConsoleReporter.Format format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventLog log = new EventLog(dir.resolve(format.name()), "run-7");
    log.addListener(
        new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), format));
    log.append(
        EventType.RUN_STARTED, EventLog.data().put("model", "gpt-x").put("prompt", "fix it"));
    log.append(
        EventType.TOOL_CALLED, EventLog.data().put("tool", "shell").put("argument", "mvn test"));
    log.append(
        EventType.TOOL_RESULT,
        EventLog.data()
            .put("tool", "shell")
            .put("error", false)
            .put("durationMs", 1500)
            .put("output", "BUILD SUCCESS\nTotal time 1s"));
    log.append(
        EventType.RUN_SUCCEEDED,
        EventLog.data()
            .put("steps", 2)
            .put("toolCalls", 1)
            .put("totalTokens", 900)
            .put("result", "Fixed the build."));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldPrintAReadableTranscript() {
    String text = print(ConsoleReporter.Format.TEXT);

    assertThat(text)
        .contains("== run run-7 started (model gpt-x)")
        .contains("task: fix it")
        .contains("> shell mvn test")
        .contains("< shell ok (1.5s): BUILD SUCCESS | Total time 1s")
        .contains("== run succeeded: 2 step(s), 1 tool call(s), 900 tokens")
        .contains("Fixed the build.");
  }

  @Test
  void shouldSayWhoDecidedAnApprovalAndWhoAnsweredAQuestion() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventLog log = new EventLog(dir.resolve("replies"), "run-8");
    log.addListener(
        new ConsoleReporter(
            new PrintStream(bytes, true, StandardCharsets.UTF_8), ConsoleReporter.Format.TEXT));

    log.append(
        EventType.APPROVAL_RESOLVED,
        EventLog.data()
            .put("id", "approval-1-1-0123456789abcdef")
            .put("decision", "deny")
            .put("reason", "not on Fridays")
            .put("by", "bob"));
    log.append(
        EventType.QUESTION_ANSWERED,
        EventLog.data()
            .put("step", 2)
            .put("id", "question-2-1-0123456789abcdef")
            .put("answer", "orders")
            .put("by", "alice"));
    log.append(
        EventType.QUESTION_ANSWERED,
        EventLog.data().put("step", 3).put("id", "question-3-1-0123456789abcdef").put("answer", "x"));

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "   ? approval approval-1-1-0123456789abcdef deny by bob: not on Fridays",
            "   ? question question-2-1-0123456789abcdef answered by alice: orders",
            "   ? question question-3-1-0123456789abcdef answered: x");
  }

  @Test
  void shouldPrintOneJsonObjectPerEventInJsonFormat() {
    String json = print(ConsoleReporter.Format.JSON);

    assertThat(json.lines())
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).startsWith("{\"seq\":"));
    assertThat(json.lines().findFirst().orElseThrow()).contains("\"type\":\"run.started\"");
  }

  @Test
  void shouldRejectAnUnknownFormat() {
    assertThatThrownBy(() -> ConsoleReporter.Format.parse("yaml"))
        .hasMessageContaining("unknown log format 'yaml' (expected text or json)");
  }
}
