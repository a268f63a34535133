package dev.agentoperator.operator.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The runner's bounded summary of a run ({@code GET /v1/runs/{uid}}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunSummary(
    String uid,
    String phase,
    String reason,
    String message,
    int steps,
    int toolCalls,
    Usage usage,
    List<PendingApproval> pendingApprovals,
    Snapshot snapshot,
    Result result,
    long lastSeq,
    String startedAt,
    String finishedAt,
    boolean interrupted,
    Push lastPush,
    PullRequest pullRequest,
    List<PendingQuestion> pendingQuestions) {

  /** The run's last successful git_push. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Push(String remote, String branch, String commit, boolean forced, String at) {}

  /** The run's last pull request opened or found open. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PullRequest(String url, long number, String branch, String base, String at) {}

  /** Tokens used by the run so far. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Usage(long inputTokens, long outputTokens, long totalTokens) {}

  /** A tool call waiting for a person's decision. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PendingApproval(String id, String tool, String summary, String requestedAt) {}

  /** A question of the agent waiting for a person's answer. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PendingQuestion(String id, String question, List<String> choices, String askedAt) {}

  /** The latest snapshot commit of the workspace. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Snapshot(String commit, Integer count) {}

  /** The final answer. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Result(String text, boolean truncated) {}

  /** True once the runner reports an end state. */
  public boolean isFinished() {
    return RunnerPhase.isTerminal(phase);
  }

  /** The pending questions, never null. */
  public List<PendingQuestion> pendingQuestionsOrEmpty() {
    return pendingQuestions == null ? List.of() : pendingQuestions;
  }

  /** The pending approvals, never null. */
  public List<PendingApproval> pendingApprovalsOrEmpty() {
    return pendingApprovals == null ? List.of() : pendingApprovals;
  }
}
