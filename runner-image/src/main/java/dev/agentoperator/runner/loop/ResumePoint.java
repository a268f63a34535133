package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where an unfinished run continues: its checkpoint plus the transcript lines written after it
 * (the process died in the middle of a step, after the model's answer or some tool results were
 * recorded but before the next checkpoint), and the calls of the last answer that have no result
 * yet. Recorded results are kept, so a call that ran is not run again; a call without a result
 * that an earlier process had started ({@code tool.called} in the log) runs again marked as
 * {@link PendingCall#retried() retried}.
 */
record ResumePoint(
    Instant startedAt,
    int steps,
    int toolCalls,
    Usage usage,
    List<ChatMessage> context,
    List<PendingCall> unanswered) {

  ResumePoint {
    context = List.copyOf(context);
    unanswered = List.copyOf(unanswered);
  }

  /** {@code earlierEvents}: the run's event log as the previous processes left it. */
  static ResumePoint of(
      Checkpoint checkpoint, List<ChatMessage> transcript, List<RunEvent> earlierEvents) {
    List<ChatMessage> context = new ArrayList<>(checkpoint.context());
    int steps = checkpoint.steps();
    int toolCalls = checkpoint.toolCalls();
    if (transcript.size() > checkpoint.transcriptLines()) {
      for (ChatMessage message :
          transcript.subList((int) checkpoint.transcriptLines(), transcript.size())) {
        context.add(message);
        if (message.isRole(ChatMessage.ASSISTANT)) {
          steps++;
        } else if (message.isRole(ChatMessage.TOOL)) {
          toolCalls++;
        }
      }
    }
    return new ResumePoint(
        checkpoint.startedAt(),
        steps,
        toolCalls,
        checkpoint.usage(),
        context,
        markStarted(unansweredCalls(context), steps, earlierEvents));
  }

  /**
   * Marks the calls an earlier process emitted {@code tool.called} for in the last answer's step
   * (call ids are only unique within one answer, so the step must match too).
   */
  private static List<PendingCall> markStarted(
      List<PendingCall> unanswered, int step, List<RunEvent> earlierEvents) {
    Set<String> started = new HashSet<>();
    for (RunEvent event : earlierEvents) {
      if (EventType.TOOL_CALLED.equals(event.type())
          && event.data().path("step").asInt(-1) == step) {
        started.add(event.data().path("callId").asText());
      }
    }
    List<PendingCall> marked = new ArrayList<>();
    for (PendingCall call : unanswered) {
      marked.add(started.contains(call.call().id()) ? call.asRetried() : call);
    }
    return marked;
  }

  /** The calls of the last assistant message that have no recorded result yet. */
  private static List<PendingCall> unansweredCalls(List<ChatMessage> context) {
    int last = -1;
    for (int i = context.size() - 1; i >= 0; i--) {
      if (context.get(i).isRole(ChatMessage.ASSISTANT)) {
        last = i;
        break;
      }
    }
    if (last < 0) {
      return List.of();
    }
    Set<String> answered = new HashSet<>();
    for (ChatMessage m : context.subList(last + 1, context.size())) {
      if (m.isRole(ChatMessage.TOOL)) {
        answered.add(m.toolCallId());
      }
    }
    List<PendingCall> pending = new ArrayList<>();
    for (PendingCall call : PendingCall.allOf(context.get(last))) {
      if (!answered.contains(call.call().id())) {
        pending.add(call);
      }
    }
    return pending;
  }
}
