package dev.agentoperator.contract.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/** The mapper and the type table behind {@link EventData#toJson} and {@link EventData#of}. */
final class EventJson {

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  static final Map<String, Class<? extends EventData>> TYPES =
      Map.ofEntries(
          Map.entry(EventType.RUN_STARTED, EventData.RunStarted.class),
          Map.entry(EventType.STEP_STARTED, EventData.StepStarted.class),
          Map.entry(EventType.LLM_COMPLETED, EventData.LlmCompleted.class),
          Map.entry(EventType.TOOL_CALLED, EventData.ToolCalled.class),
          Map.entry(EventType.TOOL_RESULT, EventData.ToolResult.class),
          Map.entry(EventType.TOOL_BLOCKED, EventData.ToolBlocked.class),
          Map.entry(EventType.APPROVAL_REQUIRED, EventData.ApprovalRequired.class),
          Map.entry(EventType.APPROVAL_RESOLVED, EventData.ApprovalResolved.class),
          Map.entry(EventType.QUESTION_ASKED, EventData.QuestionAsked.class),
          Map.entry(EventType.QUESTION_ANSWERED, EventData.QuestionAnswered.class),
          Map.entry(EventType.GIT_PUSHED, EventData.GitPushed.class),
          Map.entry(EventType.PULL_REQUEST_OPENED, EventData.PullRequestOpened.class),
          Map.entry(EventType.MCP_SERVER_FAILED, EventData.McpServerFailed.class),
          Map.entry(EventType.SNAPSHOT_CREATED, EventData.SnapshotCreated.class),
          Map.entry(EventType.CONTEXT_COMPACTED, EventData.ContextCompacted.class),
          Map.entry(EventType.RUN_SUCCEEDED, EventData.RunSucceeded.class),
          Map.entry(EventType.RUN_FAILED, EventData.RunEnded.class),
          Map.entry(EventType.RUN_CANCELLED, EventData.RunEnded.class));

  private EventJson() {}
}
