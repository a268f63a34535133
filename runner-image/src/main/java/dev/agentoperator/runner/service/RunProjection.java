package dev.agentoperator.runner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.contract.runner.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a run's persisted events into its summary. The events are the one record of a run that
 * survives a restart, so a restarted runner answers with the same summary as the one that ran it.
 */
public final class RunProjection {

  private static final int PUBLISHED_TEXT_MAX = 256;

  private RunPhase phase = RunPhase.Running;
  private String reason;
  private String message;
  // The last MCP server failure: the summary's message while the run has no message of its own.
  private String mcpNotice;
  private int steps;
  private int toolCalls;
  private long inputTokens;
  private long outputTokens;
  private boolean estimated;
  private final Map<String, RunSummary.PendingApproval> pending = new LinkedHashMap<>();
  private final Map<String, String> decisions = new LinkedHashMap<>();
  private final Map<String, RunSummary.PendingQuestion> questions = new LinkedHashMap<>();
  private final Map<String, String> answered = new LinkedHashMap<>();
  private RunSummary.Snapshot snapshot;
  private RunSummary.Result result;
  private long lastSeq;
  private String startedAt;
  private String finishedAt;
  private RunSummary.Push lastPush;
  private RunSummary.PullRequest pullRequest;

  /** An independent copy: later events applied to this one do not change it. */
  public RunProjection copy() {
    RunProjection copy = new RunProjection();
    copy.phase = phase;
    copy.reason = reason;
    copy.message = message;
    copy.mcpNotice = mcpNotice;
    copy.steps = steps;
    copy.toolCalls = toolCalls;
    copy.inputTokens = inputTokens;
    copy.outputTokens = outputTokens;
    copy.estimated = estimated;
    copy.pending.putAll(pending);
    copy.decisions.putAll(decisions);
    copy.questions.putAll(questions);
    copy.answered.putAll(answered);
    copy.snapshot = snapshot;
    copy.result = result;
    copy.lastSeq = lastSeq;
    copy.startedAt = startedAt;
    copy.finishedAt = finishedAt;
    copy.lastPush = lastPush;
    copy.pullRequest = pullRequest;
    return copy;
  }

  /** The projection of these events, oldest first. */
  public static RunProjection of(List<RunEvent> events) {
    RunProjection projection = new RunProjection();
    events.forEach(projection::apply);
    return projection;
  }

  public void apply(RunEvent event) {
    JsonNode d = event.data() == null ? MissingNode.getInstance() : event.data();
    lastSeq = Math.max(lastSeq, event.seq());
    switch (event.type()) {
      case EventType.RUN_STARTED -> {
        if (startedAt == null) {
          startedAt = event.time().toString();
        }
        if (!phase.isFinal()) {
          phase = RunPhase.Running;
        }
      }
      case EventType.STEP_STARTED -> steps = Math.max(steps, d.path("step").asInt());
      case EventType.LLM_COMPLETED -> {
        inputTokens += d.path("inputTokens").asLong();
        outputTokens += d.path("outputTokens").asLong();
        estimated |= d.path("estimated").asBoolean();
      }
      case EventType.TOOL_CALLED -> toolCalls++;
      case EventType.APPROVAL_REQUIRED -> {
        String id = d.path("id").asText();
        if (!decisions.containsKey(id)) {
          pending.put(
              id,
              new RunSummary.PendingApproval(
                  id,
                  d.path("tool").asText(),
                  Abbreviate.line(d.path("summary").asText(), RunnerApiLimits.APPROVAL_SUMMARY_MAX_CHARS),
                  event.time().toString()));
        }
      }
      case EventType.APPROVAL_RESOLVED -> {
        String id = d.path("id").asText();
        pending.remove(id);
        decisions.put(id, d.path("decision").asText());
      }
      case EventType.QUESTION_ASKED -> {
        String id = d.path("id").asText();
        if (!answered.containsKey(id)) {
          List<String> choices = new ArrayList<>();
          d.path("choices").forEach(c -> choices.add(c.asText()));
          questions.put(
              id,
              new RunSummary.PendingQuestion(
                  id, d.path("question").asText(), List.copyOf(choices), event.time().toString()));
        }
      }
      case EventType.QUESTION_ANSWERED -> {
        String id = d.path("id").asText();
        questions.remove(id);
        answered.put(id, d.path("answer").asText());
      }
      case EventType.SNAPSHOT_CREATED ->
          snapshot =
              new RunSummary.Snapshot(
                  d.path("commit").asText(),
                  d.path("count").asInt(snapshot == null ? 1 : snapshot.count() + 1));
      case EventType.GIT_PUSHED ->
          lastPush =
              new RunSummary.Push(
                  Abbreviate.line(d.path("remote").asText(), PUBLISHED_TEXT_MAX),
                  Abbreviate.line(d.path("branch").asText(), PUBLISHED_TEXT_MAX),
                  d.path("commit").asText(),
                  d.path("forced").asBoolean(),
                  event.time().toString());
      case EventType.PULL_REQUEST_OPENED ->
          pullRequest =
              new RunSummary.PullRequest(
                  Abbreviate.line(d.path("url").asText(), PUBLISHED_TEXT_MAX),
                  d.path("number").asLong(),
                  Abbreviate.line(d.path("branch").asText(), PUBLISHED_TEXT_MAX),
                  Abbreviate.line(d.path("base").asText(), PUBLISHED_TEXT_MAX),
                  event.time().toString());
      case EventType.MCP_SERVER_FAILED ->
          mcpNotice =
              Abbreviate.line(
                  "MCP server "
                      + d.path("server").asText()
                      + " is unavailable, its tools were not offered or failed: "
                      + d.path("message").asText(),
                  PUBLISHED_TEXT_MAX * 2);
      case EventType.RUN_SUCCEEDED -> {
        finish(event, RunPhase.Succeeded, "Completed", d.path("message").asText(null));
        result = RunSummary.Result.capped(d.path("result").asText(""), d.path("truncated").asBoolean());
        counters(d);
      }
      case EventType.RUN_FAILED -> {
        String failure = d.path("reason").asText("Failed");
        finish(
            event,
            "TimedOut".equals(failure) ? RunPhase.TimedOut : RunPhase.Failed,
            failure,
            d.path("message").asText(null));
        counters(d);
      }
      case EventType.RUN_CANCELLED -> {
        finish(event, RunPhase.Cancelled, "Cancelled", d.path("message").asText(null));
        counters(d);
      }
      default -> {
        // tool results, blocked calls and compactions do not change the summary
      }
    }
  }

  public RunPhase phase() {
    if (phase.isFinal()) {
      return phase;
    }
    if (!pending.isEmpty()) {
      return RunPhase.AwaitingApproval;
    }
    return questions.isEmpty() ? RunPhase.Running : RunPhase.AwaitingInput;
  }

  public long lastSeq() {
    return lastSeq;
  }

  /** Whether the run asked for approval {@code id}. */
  public boolean askedFor(String id) {
    return pending.containsKey(id) || decisions.containsKey(id);
  }

  /** The recorded decision ({@code approve} or {@code deny}) for {@code id}, or null. */
  public String decisionFor(String id) {
    return decisions.get(id);
  }

  /** Whether the run asked question {@code id}. */
  public boolean askedQuestion(String id) {
    return questions.containsKey(id) || answered.containsKey(id);
  }

  /** Whether question {@code id} was answered (the loop received the answer). */
  public boolean questionAnswered(String id) {
    return answered.containsKey(id);
  }

  public RunSummary summary(String uid) {
    return new RunSummary(
        uid,
        phase().name(),
        reason,
        withMcpNotice(message),
        steps,
        toolCalls,
        new Usage(inputTokens, outputTokens, inputTokens + outputTokens, estimated),
        List.copyOf(pending.values()),
        snapshot,
        result,
        lastSeq,
        startedAt,
        finishedAt,
        false,
        lastPush,
        pullRequest,
        List.copyOf(questions.values()));
  }

  /** The run's message followed by the last MCP server failure, so neither hides the other. */
  private String withMcpNotice(String text) {
    if (mcpNotice == null) {
      return text;
    }
    return text == null ? mcpNotice : text + " (" + mcpNotice + ")";
  }

  private void finish(RunEvent event, RunPhase finalPhase, String finalReason, String text) {
    phase = finalPhase;
    reason = finalReason;
    message = text;
    finishedAt = event.time().toString();
    pending.clear();
    questions.clear();
  }

  /** A terminal event's counters are the loop's own tally and win over the fold's. */
  private void counters(JsonNode d) {
    if (d.hasNonNull("steps")) {
      steps = d.get("steps").asInt();
    }
    if (d.hasNonNull("toolCalls")) {
      toolCalls = d.get("toolCalls").asInt();
    }
  }
}
