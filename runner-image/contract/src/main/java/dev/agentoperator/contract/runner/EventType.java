package dev.agentoperator.contract.runner;

import java.util.List;

/**
 * The event types a run emits: the wire names of {@code Event.type} in the runner API, with their
 * data in {@code spec/events.md} and {@link EventData}. Strings, not an enum, because readers must
 * pass over types a newer runner adds.
 */
public final class EventType {

  public static final String RUN_STARTED = "run.started";
  public static final String STEP_STARTED = "step.started";
  public static final String LLM_COMPLETED = "llm.completed";
  public static final String TOOL_CALLED = "tool.called";
  public static final String TOOL_RESULT = "tool.result";
  public static final String TOOL_BLOCKED = "tool.blocked";
  public static final String APPROVAL_REQUIRED = "approval.required";
  public static final String APPROVAL_RESOLVED = "approval.resolved";
  public static final String QUESTION_ASKED = "question.asked";
  public static final String QUESTION_ANSWERED = "question.answered";
  public static final String GIT_PUSHED = "git.pushed";
  public static final String PULL_REQUEST_OPENED = "pull_request.opened";
  public static final String MCP_SERVER_FAILED = "mcp.server.failed";
  public static final String SNAPSHOT_CREATED = "snapshot.created";
  public static final String CONTEXT_COMPACTED = "context.compacted";
  public static final String RUN_SUCCEEDED = "run.succeeded";
  public static final String RUN_FAILED = "run.failed";
  public static final String RUN_CANCELLED = "run.cancelled";

  /** Every type, in the order {@code spec/runner-api.yaml} lists them. */
  public static final List<String> ALL =
      List.of(
          RUN_STARTED,
          STEP_STARTED,
          LLM_COMPLETED,
          TOOL_CALLED,
          TOOL_RESULT,
          TOOL_BLOCKED,
          APPROVAL_REQUIRED,
          APPROVAL_RESOLVED,
          QUESTION_ASKED,
          QUESTION_ANSWERED,
          GIT_PUSHED,
          PULL_REQUEST_OPENED,
          MCP_SERVER_FAILED,
          SNAPSHOT_CREATED,
          CONTEXT_COMPACTED,
          RUN_SUCCEEDED,
          RUN_FAILED,
          RUN_CANCELLED);

  private EventType() {}
}
