package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.policy.PolicyDecision;
import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.List;

/**
 * The events the loop emits, one method per type, as the contract's {@link EventData} records
 * ({@code spec/events.md}): the records know the fields, this class what the loop puts in them.
 * Every text that may carry model or tool output is redacted and cut here; the final answer is cut
 * to the contract's result cap in bytes.
 */
final class LoopEvents {

  private static final int EVENT_TEXT_CHARS = 500;

  private final EventLog log;
  private final Redactor redactor;

  LoopEvents(EventLog log, Redactor redactor) {
    this.log = log;
    this.redactor = redactor;
  }

  EventLog log() {
    return log;
  }

  void runStarted(boolean resumed, String model, String prompt, int step) {
    log.append(new EventData.RunStarted(resumed, model, text(prompt), step, null));
  }

  void stepStarted(int step) {
    log.append(new EventData.StepStarted(step));
  }

  void contextCompacted(int step, ContextCompactor.Compaction compaction) {
    log.append(
        new EventData.ContextCompacted(
            step,
            compaction.method().wireName(),
            compaction.tokensBefore(),
            compaction.tokensAfter(),
            compaction.messagesSummarized(),
            compaction.toolOutputsMasked(),
            compaction.messagesRemoved(),
            compaction.modelCalls(),
            List.copyOf(compaction.rejections())));
  }

  /** The answer's text only when it calls tools (a final answer is in the run's end event). */
  void llmCompleted(
      int step, long millis, ChatResponse response, ChatMessage answer, long runTotalTokens) {
    log.append(
        new EventData.LlmCompleted(
            step,
            millis,
            response.usage().inputTokens(),
            response.usage().outputTokens(),
            response.usage().totalTokens(),
            response.usage().estimated(),
            response.finishReason(),
            answer.toolCalls().size(),
            runTotalTokens,
            answer.hasToolCalls() ? text(answer.text()) : ""));
  }

  /** A call that failed its schema check: a {@code tool.result} that never ran. */
  void toolRejected(int step, ToolCall call, String argument, ToolResult rejection) {
    log.append(
        new EventData.ToolResult(
            step,
            call.id(),
            call.name(),
            argumentText(argument),
            true,
            0,
            text(rejection.content()),
            true,
            null));
  }

  void toolBlocked(int step, ToolCall call, String argument, PolicyDecision decision) {
    log.append(
        new EventData.ToolBlocked(
            step,
            call.id(),
            call.name(),
            argumentText(argument),
            decision.matchedPattern(),
            decision.explanation()));
  }

  /** {@code retried}: an earlier runner process started this call (see spec/events.md). */
  void toolCalled(int step, ToolCall call, String argument, boolean retried) {
    log.append(
        new EventData.ToolCalled(
            step, call.id(), call.name(), argumentText(argument), retried ? Boolean.TRUE : null));
  }

  void toolResult(int step, ToolCall call, String argument, ToolResult result, long millis) {
    log.append(
        new EventData.ToolResult(
            step,
            call.id(),
            call.name(),
            argumentText(argument),
            result.error(),
            millis,
            text(result.content()),
            null,
            null));
  }

  /** An event a runner tool records (a push, a pull request): its payload is the tool's. */
  void fromTool(int step, String type, ObjectNode data) {
    log.append(type, data.put("step", step));
  }

  void approvalRequired(int step, ToolCall call, String argument, String id, String summary) {
    log.append(
        new EventData.ApprovalRequired(
            step, call.id(), call.name(), argumentText(argument), id, summary));
  }

  void approvalResolved(String id, ApprovalGate.Decision decision) {
    log.append(
        new EventData.ApprovalResolved(
            id,
            decision.approved() ? "approve" : "deny",
            text(decision.reason() == null ? "" : decision.reason()),
            name(decision.by())));
  }

  /** The question is the call's argument too. */
  void questionAsked(int step, ToolCall call, String id, String question, List<String> choices) {
    log.append(
        new EventData.QuestionAsked(
            step,
            call.id(),
            call.name(),
            argumentText(question),
            id,
            text(question),
            List.copyOf(choices)));
  }

  void questionAnswered(int step, String id, QuestionGate.Answer answer) {
    log.append(new EventData.QuestionAnswered(step, id, text(answer.text()), name(answer.by())));
  }

  /** {@code count} and {@code skipped} are the API's to add. */
  void snapshotCreated(int step, String commit, String message) {
    log.append(new EventData.SnapshotCreated(step, commit, message, null, null));
  }

  /** {@code run.succeeded}, {@code run.cancelled} or {@code run.failed} (TimedOut included). */
  void runEnded(RunResult end) {
    log.append(
        end.phase() == RunPhase.Succeeded
            ? EventData.RunSucceeded.of(
                end.reason(), end.message(), end.steps(), end.toolCalls(), end.usage(), end.result())
            : EventData.ended(
                end.phase(), end.reason(), end.message(), end.steps(), end.toolCalls(), end.usage()));
  }

  /** Who answered, or null (left out of the event) when no one was named. */
  private String name(String by) {
    return by == null || by.isBlank() ? null : text(by);
  }

  private String argumentText(String argument) {
    return text(argument == null ? "" : argument);
  }

  private String text(String text) {
    String clean = redactor.redact(text);
    return clean.length() <= EVENT_TEXT_CHARS
        ? clean
        : clean.substring(0, EVENT_TEXT_CHARS) + "...";
  }
}
