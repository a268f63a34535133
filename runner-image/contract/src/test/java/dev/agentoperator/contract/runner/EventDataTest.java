package dev.agentoperator.contract.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventDataTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldLeaveOutFieldsTheEmitterDidNotSet() {
    var data = EventData.toJson(new EventData.RunStarted(false, null, null, 0, null));

    assertThat(data.toString()).isEqualTo("{\"resumed\":false,\"step\":0}");
  }

  @Test
  void shouldWriteTheNullPatternOfAnUnlistedTool() {
    var data =
        EventData.toJson(new EventData.ToolBlocked(2, "c1", "shell", "ls", null, "not allowed"));

    assertThat(data.has("pattern")).isTrue();
    assertThat(data.get("pattern").isNull()).isTrue();
  }

  @Test
  void shouldTypeAnEventAndIgnoreFieldsItDoesNotKnow() throws Exception {
    var event =
        new RunEvent(
            3,
            EventType.TOOL_RESULT,
            "2026-12-01T10:00:00Z",
            "uid",
            JSON.readTree(
                "{\"step\":1,\"callId\":\"c\",\"tool\":\"shell\",\"error\":true,\"durationMs\":5,"
                    + "\"output\":\"boom\",\"addedLater\":1}"));

    assertThat(EventData.of(event))
        .contains(
            new EventData.ToolResult(1, "c", "shell", null, true, 5, "boom", null, null));
  }

  @Test
  void shouldAnswerNothingForAnEventTypeOfANewerRunner() {
    var event = new RunEvent(1, "something.new", "2026-12-01T10:00:00Z", "uid", null);

    assertThat(EventData.of(event)).isEmpty();
  }

  @Test
  void shouldRefuseDataOfTheWrongShapeNamingTheEvent() throws Exception {
    var event =
        new RunEvent(
            7, EventType.STEP_STARTED, "2026-12-01T10:00:00Z", "uid", JSON.readTree("{\"step\":[]}"));

    assertThatThrownBy(() -> EventData.of(event))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event 7 (step.started)");
  }

  @Test
  void shouldCapTheAnswerOfASucceededRunInBytes() {
    String answer = "é".repeat(3000); // 6000 bytes of UTF-8

    var event = EventData.RunSucceeded.of("Completed", "done", 1, 0, Usage.of(1, 2), answer);

    assertThat(event.truncated()).isTrue();
    assertThat(event.result()).hasSize(RunnerApiLimits.RESULT_MAX_BYTES / 2);
    assertThat(event.totalTokens()).isEqualTo(3);
  }

  @Test
  void shouldEndARunFailedTimedOutOrCancelledWithTheMatchingEvent() {
    assertThat(EventData.ended(RunPhase.Failed, "ModelError", "down", 1, 0, Usage.ZERO).type())
        .isEqualTo(EventType.RUN_FAILED);
    assertThat(EventData.ended(RunPhase.TimedOut, "TimedOut", "late", 1, 0, Usage.ZERO).type())
        .isEqualTo(EventType.RUN_FAILED);
    assertThat(EventData.ended(RunPhase.Cancelled, "Cancelled", "stop", 1, 0, Usage.ZERO).type())
        .isEqualTo(EventType.RUN_CANCELLED);
    assertThatThrownBy(
            () -> EventData.ended(RunPhase.Succeeded, "Completed", "x", 1, 0, Usage.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventData.ended(RunPhase.Running, "x", "x", 1, 0, Usage.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
