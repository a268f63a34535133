package dev.agentoperator.runner.api;

import java.util.List;

/**
 * A bounded summary of a run ({@code RunSummary} in {@code spec/runner-api.yaml}): its size does
 * not grow with the run's length (the result is capped at 4 KiB, approvals are only the pending
 * ones).
 */
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

  /** The run's last successful git_push: where, which branch, which commit, when. */
  public record Push(String remote, String branch, String commit, boolean forced, String at) {}

  /** The run's last pull request opened (or found open) by open_pull_request. */
  public record PullRequest(String url, long number, String branch, String base, String at) {}

  /** Token use; {@code estimated} when some calls were counted locally. */
  public record Usage(long inputTokens, long outputTokens, long totalTokens, boolean estimated) {}

  /** An approval the run waits for. */
  public record PendingApproval(String id, String tool, String summary, String requestedAt) {}

  /** A question the run waits on (the question tool); answered with {@code POST answers}. */
  public record PendingQuestion(String id, String question, List<String> choices, String askedAt) {}

  /** The newest snapshot of the run and how many snapshots the workspace history holds. */
  public record Snapshot(String commit, int count) {}

  /** The final answer, at most 4 KiB. */
  public record Result(String text, boolean truncated) {}
}
