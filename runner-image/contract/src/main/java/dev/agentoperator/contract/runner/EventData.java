package dev.agentoperator.contract.runner;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The typed {@code data} of each event type ({@code spec/events.md}). Emitters build a record and
 * write it with {@link #toJson}; readers type an event with {@link #of}. Fields an emitter may
 * leave out are boxed; left out, they are not written. Readers ignore fields they do not know, as the
 * spec asks.
 */
public sealed interface EventData {

  /** The event type this data belongs to, one of {@link EventType}. */
  @JsonIgnore
  String type();

  /** The data as the JSON object an event carries; null fields left out. */
  static ObjectNode toJson(EventData data) {
    return EventJson.MAPPER.valueToTree(data);
  }

  /** The typed data of {@code event}; empty for a type this version does not know. */
  static Optional<EventData> of(RunEvent event) {
    Class<? extends EventData> type = EventJson.TYPES.get(event.type());
    if (type == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(EventJson.MAPPER.treeToValue(event.dataOrEmpty(), type));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "event " + event.seq() + " (" + event.type() + ") has malformed data: " + e.getMessage(),
          e);
    }
  }

  /** The record class of each event type. */
  static Map<String, Class<? extends EventData>> types() {
    return EventJson.TYPES;
  }

  /** {@code run.started}: {@code step} is the steps done before (a resumed run's checkpoint). */
  record RunStarted(boolean resumed, String model, String prompt, int step, Integer attempt)
      implements EventData {
    @Override
    public String type() {
      return EventType.RUN_STARTED;
    }
  }

  /** {@code step.started}, 1-based. */
  record StepStarted(int step) implements EventData {
    @Override
    public String type() {
      return EventType.STEP_STARTED;
    }
  }

  /** {@code llm.completed}: one model call; {@code text} is empty for the final answer. */
  record LlmCompleted(
      int step,
      long durationMs,
      long inputTokens,
      long outputTokens,
      long totalTokens,
      boolean estimated,
      @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason,
      int toolCalls,
      long runTotalTokens,
      String text)
      implements EventData {
    @Override
    public String type() {
      return EventType.LLM_COMPLETED;
    }
  }

  /**
   * {@code tool.called}: emitted just before the tool runs; {@code retried} is true when a resumed
   * run runs a call again that the previous runner process had started, and left out otherwise.
   */
  record ToolCalled(int step, String callId, String tool, String argument, Boolean retried)
      implements EventData {
    /** A call that runs for the first time. */
    public ToolCalled(int step, String callId, String tool, String argument) {
      this(step, callId, tool, argument, null);
    }

    @Override
    public String type() {
      return EventType.TOOL_CALLED;
    }
  }

  /**
   * {@code tool.result}: {@code rejected} when the call was malformed and never ran; {@code
   * summary} (the output's first line) is added by the API when the emitter left it out.
   */
  record ToolResult(
      int step,
      String callId,
      String tool,
      String argument,
      boolean error,
      long durationMs,
      String output,
      Boolean rejected,
      String summary)
      implements EventData {
    @Override
    public String type() {
      return EventType.TOOL_RESULT;
    }
  }

  /** {@code tool.blocked}: {@code pattern} is the deny pattern, null for an unlisted tool. */
  record ToolBlocked(
      int step,
      String callId,
      String tool,
      String argument,
      @JsonInclude(JsonInclude.Include.ALWAYS) String pattern,
      String explanation)
      implements EventData {
    @Override
    public String type() {
      return EventType.TOOL_BLOCKED;
    }
  }

  /** {@code approval.required}: answer it with {@code id}; {@code summary} is one line. */
  record ApprovalRequired(
      int step, String callId, String tool, String argument, String id, String summary)
      implements EventData {
    @Override
    public String type() {
      return EventType.APPROVAL_REQUIRED;
    }
  }

  /**
   * {@code approval.resolved}: {@code decision} is {@code approve} or {@code deny}; {@code by} who
   * decided (left out when the answer named no one).
   */
  record ApprovalResolved(String id, String decision, String reason, String by)
      implements EventData {
    @Override
    public String type() {
      return EventType.APPROVAL_RESOLVED;
    }
  }

  /** {@code question.asked}: the run is AwaitingInput until {@code id} is answered. */
  record QuestionAsked(
      int step,
      String callId,
      String tool,
      String argument,
      String id,
      String question,
      List<String> choices)
      implements EventData {
    @Override
    public String type() {
      return EventType.QUESTION_ASKED;
    }
  }

  /** {@code question.answered}: {@code by} who answered (left out when no one was named). */
  record QuestionAnswered(int step, String id, String answer, String by) implements EventData {
    @Override
    public String type() {
      return EventType.QUESTION_ANSWERED;
    }
  }

  /**
   * {@code git.pushed}: {@code remote} without credentials. {@code step} may be left out by the
   * tool; the loop that records the event sets it.
   */
  record GitPushed(Integer step, String remote, String branch, String commit, boolean forced)
      implements EventData {
    @Override
    public String type() {
      return EventType.GIT_PUSHED;
    }
  }

  /**
   * {@code pull_request.opened}: {@code existed} when an open one was found and returned. {@code
   * step} as in {@link GitPushed}.
   */
  record PullRequestOpened(
      Integer step, String url, long number, String branch, String base, boolean existed)
      implements EventData {
    @Override
    public String type() {
      return EventType.PULL_REQUEST_OPENED;
    }
  }

  /**
   * {@code mcp.server.failed}: {@code transport} is stdio or http; {@code message} says why (did
   * not start or initialize, died, did not answer).
   */
  record McpServerFailed(String server, String transport, String message) implements EventData {
    @Override
    public String type() {
      return EventType.MCP_SERVER_FAILED;
    }
  }

  /**
   * {@code snapshot.created}: {@code count} and {@code skipped} (paths over the size cap) are added
   * by the API when the emitter left them out.
   */
  record SnapshotCreated(
      int step, String commit, String message, Integer count, List<String> skipped)
      implements EventData {
    @Override
    public String type() {
      return EventType.SNAPSHOT_CREATED;
    }
  }

  /** {@code context.compacted}: {@code method} is summary, masking or truncation. */
  record ContextCompacted(
      int step,
      String method,
      long tokensBefore,
      long tokensAfter,
      int messagesSummarized,
      int toolOutputsMasked,
      int messagesRemoved,
      int modelCalls,
      List<String> summaryRejected)
      implements EventData {
    @Override
    public String type() {
      return EventType.CONTEXT_COMPACTED;
    }
  }

  /**
   * {@code run.succeeded}: the final fields and the answer, capped in bytes. Every final event
   * carries all final fields, {@code reason} and {@code message} as null when there are none.
   */
  record RunSucceeded(
      String phase,
      @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
      @JsonInclude(JsonInclude.Include.ALWAYS) String message,
      int steps,
      int toolCalls,
      long inputTokens,
      long outputTokens,
      long totalTokens,
      String result,
      boolean truncated)
      implements EventData {

    /** The event of a run that answered {@code answer}, cut to the result cap. */
    public static RunSucceeded of(
        String reason, String message, int steps, int toolCalls, Usage usage, String answer) {
      RunSummary.Result capped = RunSummary.Result.capped(answer == null ? "" : answer, false);
      return new RunSucceeded(
          RunPhase.Succeeded.name(),
          reason,
          message,
          steps,
          toolCalls,
          usage.inputTokens(),
          usage.outputTokens(),
          usage.totalTokens(),
          capped.text(),
          capped.truncated());
    }

    @Override
    public String type() {
      return EventType.RUN_SUCCEEDED;
    }
  }

  /**
   * {@code run.failed} ({@code phase} Failed or TimedOut) and {@code run.cancelled}: the same final
   * fields (null {@code reason} and {@code message} written, as in {@link RunSucceeded}), the type
   * follows the phase.
   */
  record RunEnded(
      String phase,
      @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
      @JsonInclude(JsonInclude.Include.ALWAYS) String message,
      int steps,
      int toolCalls,
      long inputTokens,
      long outputTokens,
      long totalTokens)
      implements EventData {
    @Override
    public String type() {
      return RunPhase.Cancelled.name().equals(phase)
          ? EventType.RUN_CANCELLED
          : EventType.RUN_FAILED;
    }
  }

  /** The final event of a run that ended in {@code phase} (anything but Succeeded). */
  static RunEnded ended(
      RunPhase phase, String reason, String message, int steps, int toolCalls, Usage usage) {
    if (!phase.isFinal() || phase == RunPhase.Succeeded) {
      throw new IllegalArgumentException("a run does not end " + phase + " without an answer");
    }
    return new RunEnded(
        phase.name(),
        reason,
        message,
        steps,
        toolCalls,
        usage.inputTokens(),
        usage.outputTokens(),
        usage.totalTokens());
  }
}
