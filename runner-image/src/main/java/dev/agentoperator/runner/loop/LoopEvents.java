package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.policy.PolicyDecision;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.List;

/**
 * The events the loop emits, one method per type, with the payloads of {@code spec/events.md}:
 * the one place that knows their fields, so moving to typed payload records touches this file
 * only. Every text that may carry model or tool output is redacted and cut here.
 */
final class LoopEvents {

  private static final int EVENT_TEXT_CHARS = 500;
  private static final int RESULT_CHARS = 4096;

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
    log.append(
        EventType.RUN_STARTED,
        data()
            .put("resumed", resumed)
            .put("model", model)
            .put("prompt", text(prompt))
            .put("step", step));
  }

  void stepStarted(int step) {
    log.append(EventType.STEP_STARTED, data().put("step", step));
  }

  void contextCompacted(int step, ContextCompactor.Compaction compaction) {
    ObjectNode data =
        data()
            .put("step", step)
            .put("method", compaction.method().wireName())
            .put("tokensBefore", compaction.tokensBefore())
            .put("tokensAfter", compaction.tokensAfter())
            .put("messagesSummarized", compaction.messagesSummarized())
            .put("toolOutputsMasked", compaction.toolOutputsMasked())
            .put("messagesRemoved", compaction.messagesRemoved())
            .put("modelCalls", compaction.modelCalls());
    compaction.rejections().forEach(data.putArray("summaryRejected")::add);
    log.append(EventType.CONTEXT_COMPACTED, data);
  }

  /** The answer's text only when it calls tools (a final answer is in the run's end event). */
  void llmCompleted(
      int step, long millis, ChatResponse response, ChatMessage answer, long runTotalTokens) {
    log.append(
        EventType.LLM_COMPLETED,
        data()
            .put("step", step)
            .put("durationMs", millis)
            .put("inputTokens", response.usage().inputTokens())
            .put("outputTokens", response.usage().outputTokens())
            .put("totalTokens", response.usage().totalTokens())
            .put("estimated", response.usage().estimated())
            .put("finishReason", response.finishReason())
            .put("toolCalls", answer.toolCalls().size())
            .put("runTotalTokens", runTotalTokens)
            .put("text", answer.hasToolCalls() ? text(answer.text()) : ""));
  }

  /** A call that failed its schema check: a {@code tool.result} that never ran. */
  void toolRejected(int step, ToolCall call, String argument, ToolResult rejection) {
    log.append(
        EventType.TOOL_RESULT,
        tool(step, call, argument)
            .put("error", true)
            .put("rejected", true)
            .put("durationMs", 0)
            .put("output", text(rejection.content())));
  }

  void toolBlocked(int step, ToolCall call, String argument, PolicyDecision decision) {
    log.append(
        EventType.TOOL_BLOCKED,
        tool(step, call, argument)
            .put("pattern", decision.matchedPattern())
            .put("explanation", decision.explanation()));
  }

  void toolCalled(int step, ToolCall call, String argument) {
    log.append(EventType.TOOL_CALLED, tool(step, call, argument));
  }

  void toolResult(int step, ToolCall call, String argument, ToolResult result, long millis) {
    log.append(
        EventType.TOOL_RESULT,
        tool(step, call, argument)
            .put("error", result.error())
            .put("durationMs", millis)
            .put("output", text(result.content())));
  }

  /** An event a runner tool records (a push, a pull request): its payload is the tool's. */
  void fromTool(int step, String type, ObjectNode data) {
    log.append(type, data.put("step", step));
  }

  void approvalRequired(int step, ToolCall call, String argument, String id, String summary) {
    log.append(
        EventType.APPROVAL_REQUIRED,
        tool(step, call, argument).put("id", id).put("summary", summary));
  }

  void approvalResolved(String id, ApprovalGate.Decision decision) {
    log.append(
        EventType.APPROVAL_RESOLVED,
        data()
            .put("id", id)
            .put("decision", decision.approved() ? "approve" : "deny")
            .put("reason", text(decision.reason() == null ? "" : decision.reason())));
  }

  void questionAsked(int step, ToolCall call, String id, String question, List<String> choices) {
    ObjectNode data = tool(step, call, question).put("id", id).put("question", text(question));
    choices.forEach(data.putArray("choices")::add);
    log.append(EventType.QUESTION_ASKED, data);
  }

  void questionAnswered(int step, String id, String answer) {
    log.append(
        EventType.QUESTION_ANSWERED,
        data().put("step", step).put("id", id).put("answer", text(answer)));
  }

  void snapshotCreated(int step, String commit, String message) {
    log.append(
        EventType.SNAPSHOT_CREATED,
        data().put("step", step).put("commit", commit).put("message", message));
  }

  /** {@code run.succeeded}, {@code run.cancelled} or {@code run.failed} (TimedOut included). */
  void runEnded(RunResult end) {
    ObjectNode data =
        data()
            .put("phase", end.phase().name())
            .put("reason", end.reason())
            .put("message", end.message())
            .put("steps", end.steps())
            .put("toolCalls", end.toolCalls())
            .put("inputTokens", end.usage().inputTokens())
            .put("outputTokens", end.usage().outputTokens())
            .put("totalTokens", end.usage().totalTokens());
    switch (end.phase()) {
      case Succeeded -> {
        String text = end.result() == null ? "" : end.result();
        data.put("result", text.length() <= RESULT_CHARS ? text : text.substring(0, RESULT_CHARS));
        data.put("truncated", text.length() > RESULT_CHARS);
        log.append(EventType.RUN_SUCCEEDED, data);
      }
      case Cancelled -> log.append(EventType.RUN_CANCELLED, data);
      default -> log.append(EventType.RUN_FAILED, data);
    }
  }

  private ObjectNode tool(int step, ToolCall call, String argument) {
    return data()
        .put("step", step)
        .put("callId", call.id())
        .put("tool", call.name())
        .put("argument", text(argument == null ? "" : argument));
  }

  private String text(String text) {
    String clean = redactor.redact(text);
    return clean.length() <= EVENT_TEXT_CHARS
        ? clean
        : clean.substring(0, EVENT_TEXT_CHARS) + "...";
  }

  private static ObjectNode data() {
    return EventLog.data();
  }
}
