package dev.agentoperator.operator.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** One event of a run, as the runner's event stream delivers it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunEvent(long seq, String type, String time, JsonNode data) {

  public static final String RUN_STARTED = "run.started";
  public static final String STEP_STARTED = "step.started";
  public static final String LLM_COMPLETED = "llm.completed";
  public static final String TOOL_CALLED = "tool.called";
  public static final String TOOL_RESULT = "tool.result";
  public static final String TOOL_BLOCKED = "tool.blocked";
  public static final String APPROVAL_REQUIRED = "approval.required";
  public static final String APPROVAL_RESOLVED = "approval.resolved";
  public static final String SNAPSHOT_CREATED = "snapshot.created";
  public static final String RUN_SUCCEEDED = "run.succeeded";
  public static final String RUN_FAILED = "run.failed";
  public static final String RUN_CANCELLED = "run.cancelled";

  /** The event's data, never null. */
  public JsonNode dataOrEmpty() {
    return data == null ? JsonNodeFactory.instance.objectNode() : data;
  }
}
