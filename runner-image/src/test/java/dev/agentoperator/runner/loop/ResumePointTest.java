package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumePointTest {

  private static final Instant STARTED = Instant.parse("2026-12-01T11:00:00Z");
  private static final ChatMessage SYSTEM = ChatMessage.system("You are an agent.");
  private static final ChatMessage TASK = ChatMessage.user("Write the log");
  private static final ToolCall ONE = new ToolCall("c1", "shell", "{\"command\":\"echo one\"}");
  private static final ToolCall TWO = new ToolCall("c2", "shell", "{\"command\":\"echo two\"}");
  private static final ToolCall THREE = new ToolCall("c3", "shell", "{\"command\":\"echo 3\"}");

  private static Checkpoint checkpoint(int steps, int toolCalls, List<ChatMessage> context) {
    return new Checkpoint(
        "run-1",
        RunPhase.Running,
        null,
        steps,
        toolCalls,
        Usage.of(100, 50),
        STARTED,
        null,
        null,
        context,
        context.size());
  }

  @Test
  void shouldRunOnlyTheCallsWithoutARecordedResultWhenTheStepWasHalfWritten() {
    // given a checkpoint before step 1, and a transcript that got the answer and one result
    ChatMessage answer = ChatMessage.assistant("", List.of(ONE, TWO, THREE));
    List<ChatMessage> transcript =
        List.of(SYSTEM, TASK, answer, ChatMessage.toolResult("c1", "one"));

    // when
    ResumePoint point =
        ResumePoint.of(checkpoint(0, 0, List.of(SYSTEM, TASK)), transcript, List.of());

    // then the recorded result counts and stays, the other two calls run, at their positions
    assertThat(point.steps()).isEqualTo(1);
    assertThat(point.toolCalls()).isEqualTo(1);
    assertThat(point.context()).containsExactlyElementsOf(transcript);
    assertThat(point.unanswered())
        .containsExactly(new PendingCall(TWO, 2), new PendingCall(THREE, 3));
    assertThat(point.startedAt()).isEqualTo(STARTED);
    assertThat(point.usage()).isEqualTo(Usage.of(100, 50));
  }

  @Test
  void shouldRunEveryCallWhenOnlyTheAnswerWasCheckpointed() {
    ChatMessage answer = ChatMessage.assistant("", List.of(ONE, TWO));
    List<ChatMessage> context = List.of(SYSTEM, TASK, answer);

    ResumePoint point = ResumePoint.of(checkpoint(1, 0, context), context, List.of());

    assertThat(point.steps()).isEqualTo(1);
    assertThat(point.toolCalls()).isZero();
    assertThat(point.unanswered())
        .containsExactly(new PendingCall(ONE, 1), new PendingCall(TWO, 2));
  }

  @Test
  void shouldHaveNothingToRunWhenEveryCallOfTheLastAnswerHasItsResult() {
    ChatMessage answer = ChatMessage.assistant("", List.of(ONE));
    List<ChatMessage> context =
        List.of(SYSTEM, TASK, answer, ChatMessage.toolResult("c1", "one"));

    ResumePoint point = ResumePoint.of(checkpoint(1, 1, context), context, List.of());

    assertThat(point.unanswered()).isEmpty();
    assertThat(point.steps()).isEqualTo(1);
    assertThat(point.toolCalls()).isEqualTo(1);
  }

  @Test
  void shouldHaveNothingToRunBeforeTheFirstAnswer() {
    List<ChatMessage> context = List.of(SYSTEM, TASK);

    ResumePoint point = ResumePoint.of(checkpoint(0, 0, context), context, List.of());

    assertThat(point.unanswered()).isEmpty();
    assertThat(point.context()).containsExactly(SYSTEM, TASK);
  }

  @Test
  void shouldNotMatchAResultOfAnEarlierStepToACallOfTheLastOne() {
    // given step 1's call c1 answered, and step 2 reusing the id c1 (ids are per answer)
    ChatMessage first = ChatMessage.assistant("", List.of(ONE));
    ChatMessage second = ChatMessage.assistant("", List.of(ONE));
    List<ChatMessage> context =
        List.of(SYSTEM, TASK, first, ChatMessage.toolResult("c1", "one"), second);

    // when
    ResumePoint point = ResumePoint.of(checkpoint(2, 1, context), context, List.of());

    // then step 2's call still runs
    assertThat(point.unanswered()).containsExactly(new PendingCall(ONE, 1));
  }

  @Test
  void shouldMarkAsRetriedOnlyTheCallAnEarlierProcessStartedWithoutRecordingItsResult() {
    // given step 1: c1 answered, c2 started (tool.called) when the process died, c3 never started
    ChatMessage answer = ChatMessage.assistant("", List.of(ONE, TWO, THREE));
    List<ChatMessage> transcript =
        List.of(SYSTEM, TASK, answer, ChatMessage.toolResult("c1", "one"));
    List<RunEvent> log = List.of(toolCalled(1, 1, "c1"), toolCalled(2, 1, "c2"));

    // when
    ResumePoint point = ResumePoint.of(checkpoint(0, 0, List.of(SYSTEM, TASK)), transcript, log);

    // then
    assertThat(point.unanswered())
        .containsExactly(new PendingCall(TWO, 2, true), new PendingCall(THREE, 3, false));
  }

  @Test
  void shouldNotMarkACallAsRetriedForAnEarlierStepsCallOfTheSameId() {
    // given step 1's c1 ran (tool.called and result), step 2 reuses c1 and never started it
    ChatMessage first = ChatMessage.assistant("", List.of(ONE));
    ChatMessage second = ChatMessage.assistant("", List.of(ONE));
    List<ChatMessage> context =
        List.of(SYSTEM, TASK, first, ChatMessage.toolResult("c1", "one"), second);

    // when
    ResumePoint point =
        ResumePoint.of(checkpoint(2, 1, context), context, List.of(toolCalled(1, 1, "c1")));

    // then
    assertThat(point.unanswered()).containsExactly(new PendingCall(ONE, 1, false));
  }

  private static RunEvent toolCalled(long seq, int step, String callId) {
    return new RunEvent(
        seq,
        EventType.TOOL_CALLED,
        STARTED,
        "run-1",
        EventLog.data().put("step", step).put("callId", callId).put("tool", "shell"));
  }
}
