package dev.agentoperator.runner.events;

/** The event types a run emits (the wire names are in {@code spec/events.md}). */
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

  private EventType() {}
}
