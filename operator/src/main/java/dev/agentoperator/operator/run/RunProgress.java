package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import dev.agentoperator.operator.api.v1alpha1.PendingQuestion;
import dev.agentoperator.operator.api.v1alpha1.PullRequestStatus;
import dev.agentoperator.operator.api.v1alpha1.PushStatus;
import dev.agentoperator.operator.api.v1alpha1.ResolvedApproval;
import dev.agentoperator.operator.api.v1alpha1.RunResult;
import dev.agentoperator.operator.api.v1alpha1.SnapshotStatus;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import dev.agentoperator.operator.api.v1alpha1.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Folds what the runner reports into a run's status, keeping the status bounded whatever the run's
 * length: counters and outcome come from the runner's summary (idempotent, so replays and restarts
 * are harmless); one-line step summaries come from events, the last {@value #RECENT_STEPS} kept.
 */
public final class RunProgress {

  static final int RECENT_STEPS = 10;
  static final int LINE_LIMIT = 160;
  static final int PENDING_LIMIT = 10;
  // One question waits at a time (tool calls run in order); the bounds keep status small anyway.
  static final int QUESTIONS_LIMIT = 3;
  static final int QUESTION_LIMIT = 500;
  static final int CHOICES_LIMIT = 10;
  static final int CHOICE_LIMIT = 100;
  static final int RESOLVED_LIMIT = 10;
  static final int NAME_LIMIT = 128;
  static final int MESSAGE_LIMIT = 512;
  /** The line of a step that has started and done nothing to tell yet. */
  static final String STEP_STARTED = "started";

  private RunProgress() {}

  /** Copies the summary's counters, approvals, snapshot and result into {@code status}. */
  public static void applySummary(AgentRunStatus status, RunSummary summary) {
    status.setSteps(summary.steps());
    status.setToolCalls(summary.toolCalls());
    if (summary.usage() != null) {
      var u = summary.usage();
      status.setUsage(new Usage(u.inputTokens(), u.outputTokens(), u.totalTokens()));
    }
    status.setPendingApprovals(
        summary.pendingApprovalsOrEmpty().stream()
            .limit(PENDING_LIMIT)
            .map(
                p ->
                    new PendingApproval(
                        p.id(), p.tool(), cut(p.summary(), LINE_LIMIT), p.requestedAt()))
            .toList());
    status.setPendingQuestions(
        summary.pendingQuestionsOrEmpty().stream()
            .limit(QUESTIONS_LIMIT)
            .map(
                q ->
                    new PendingQuestion(
                        q.id(),
                        cut(q.question(), QUESTION_LIMIT),
                        q.choices() == null
                            ? List.of()
                            : q.choices().stream()
                                .limit(CHOICES_LIMIT)
                                .map(c -> cut(c, CHOICE_LIMIT))
                                .toList(),
                        q.askedAt()))
            .toList());
    if (summary.snapshot() != null && summary.snapshot().commit() != null) {
      status.setSnapshot(
          new SnapshotStatus(summary.snapshot().commit(), summary.snapshot().count()));
    }
    if (summary.lastPush() != null) {
      var p = summary.lastPush();
      status.setLastPush(
          new PushStatus(
              cut(p.remote(), NAME_LIMIT * 2),
              cut(p.branch(), NAME_LIMIT * 2),
              cut(p.commit(), 64),
              p.forced(),
              p.at()));
    }
    if (summary.pullRequest() != null) {
      var pr = summary.pullRequest();
      status.setPullRequest(
          new PullRequestStatus(
              cut(pr.url(), NAME_LIMIT * 2),
              pr.number(),
              cut(pr.branch(), NAME_LIMIT * 2),
              cut(pr.base(), NAME_LIMIT * 2),
              pr.at()));
    }
    if (summary.result() != null && summary.result().text() != null) {
      status.setResult(result(summary.result().text(), summary.result().truncated()));
    }
  }

  /**
   * The last {@value #RESOLVED_LIMIT} answers after {@code answer}, with the tool and the approver
   * cut to {@value #NAME_LIMIT} characters (spec.approvals keeps the whole name).
   */
  public static List<ResolvedApproval> addResolved(
      List<ResolvedApproval> recent, ResolvedApproval answer) {
    List<ResolvedApproval> result = new ArrayList<>(recent == null ? List.of() : recent);
    result.add(
        new ResolvedApproval(
            answer.id(),
            cut(answer.tool(), NAME_LIMIT),
            answer.decision(),
            cut(answer.by(), NAME_LIMIT),
            answer.resolvedAt()));
    return List.copyOf(result.subList(Math.max(0, result.size() - RESOLVED_LIMIT), result.size()));
  }

  /** The Event message for an answer: who decided what about which call, and why. */
  public static String resolvedMessage(ResolvedApproval answer, String call, String reason) {
    String who = answer.by() == null || answer.by().isBlank() ? "(no one named)" : answer.by();
    String verb = switch (answer.decision()) {
      case approve -> "approved";
      case deny -> "denied";
    };
    return "approval "
        + answer.id()
        + " "
        + verb
        + " by "
        + who
        + ": "
        + (answer.tool() == null ? "a tool call" : callLine(answer.tool(), call))
        + (reason == null || reason.isBlank() ? "" : " (reason: " + reason + ")");
  }

  /** The Event message for an answer to the agent's question: who answered (not the answer). */
  public static String answeredMessage(String id, String by) {
    return "question "
        + id
        + " answered by "
        + (by == null || by.isBlank() ? "(no one named)" : cut(by, NAME_LIMIT));
  }

  /** The Event and status message for a call that waits for a person's approval. */
  public static String approvalRequiredMessage(PendingApproval pending) {
    return "waiting for approval "
        + pending.id()
        + " ("
        + callLine(pending.tool(), pending.summary())
        + "); answer it with `kubectl agent approve` or in spec.approvals";
  }

  /**
   * An approval's call in one line: the runner's summary already reads {@code tool: argument}, so
   * the tool is named only where the summary does not start with it.
   */
  static String callLine(String tool, String summary) {
    String name = tool == null || tool.isBlank() ? "tool" : tool;
    if (summary == null || summary.isBlank()) {
      return name;
    }
    return summary.startsWith(name + ":") ? summary : name + ": " + summary;
  }

  /** The Event message for a push the runner made: branch, commit and remote. */
  public static String pushedMessage(PushStatus push) {
    return (Boolean.TRUE.equals(push.forced()) ? "force-pushed " : "pushed ")
        + push.branch()
        + " at "
        + push.commit()
        + " to "
        + push.remote();
  }

  /** The Event message for a pull request the runner opened or found. */
  public static String pullRequestMessage(PullRequestStatus pr) {
    return "pull request #"
        + pr.number()
        + " from "
        + pr.branch()
        + " into "
        + pr.base()
        + ": "
        + pr.url();
  }

  /** The result capped as the contract caps it (bytes), truncated when cut here or by the runner. */
  public static RunResult result(String text, boolean alreadyTruncated) {
    RunSummary.Result capped = RunSummary.Result.capped(text, alreadyTruncated);
    return new RunResult(capped.text(), capped.truncated());
  }

  /** The last {@value #RECENT_STEPS} step lines after adding what {@code events} tell. */
  public static List<StepSummary> foldSteps(List<StepSummary> recent, List<RunEvent> events) {
    TreeMap<Integer, String> lines = new TreeMap<>();
    if (recent != null) {
      // A step recorded while it had only started shows a placeholder, not part of its line.
      recent.forEach(
          s -> lines.put(s.step(), STEP_STARTED.equals(s.summary()) ? "" : s.summary()));
    }
    for (RunEvent event : events) {
      var data = event.dataOrEmpty();
      int step = data.path("step").asInt(0);
      if (step <= 0) {
        continue;
      }
      String addition =
          switch (event.type()) {
            case EventType.TOOL_CALLED ->
                data.path("tool").asText("tool") + ": " + data.path("argument").asText("");
            case EventType.TOOL_RESULT -> data.path("error").asBoolean(false) ? "(error)" : null;
            case EventType.TOOL_BLOCKED ->
                "blocked "
                    + data.path("tool").asText("tool")
                    + ": "
                    + data.path("argument").asText("");
            case EventType.APPROVAL_REQUIRED ->
                "asks approval for "
                    + callLine(data.path("tool").asText("tool"), data.path("summary").asText(""));
            case EventType.LLM_COMPLETED -> data.path("toolCalls").asInt(0) == 0 ? "answered" : null;
            case EventType.STEP_STARTED -> "";
            default -> null;
          };
      if (addition == null) {
        continue;
      }
      String line = lines.get(step);
      if (line == null || line.isEmpty()) {
        lines.put(step, addition);
      } else if (!addition.isEmpty() && line.length() < LINE_LIMIT && !line.contains(addition)) {
        lines.put(step, line + (addition.startsWith("(") ? " " : "; ") + addition);
      }
    }
    while (lines.size() > RECENT_STEPS) {
      lines.pollFirstEntry();
    }
    List<StepSummary> result = new ArrayList<>(lines.size());
    lines.forEach(
        (step, line) ->
            result.add(
                new StepSummary(step, cut(line.isEmpty() ? STEP_STARTED : line, LINE_LIMIT))));
    return result;
  }

  /** {@code text} cut to {@code limit} characters with an ellipsis. */
  public static String cut(String text, int limit) {
    if (text == null || text.length() <= limit) {
      return text;
    }
    return text.substring(0, limit - 1) + "…";
  }
}
