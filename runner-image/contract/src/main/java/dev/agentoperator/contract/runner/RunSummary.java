package dev.agentoperator.contract.runner;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The runner's bounded summary of a run ({@code RunSummary} in the runner API, {@code GET
 * /v1/runs/{uid}}): its size does not grow with the run's length (the result is capped, approvals
 * and questions are only the pending ones). {@code phase} is a {@link RunPhase} name, kept as text
 * so that a phase a newer runner adds does not make the summary unreadable.
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

  /** A tool call waiting for a person's decision. */
  public record PendingApproval(String id, String tool, String summary, String requestedAt) {}

  /** A question of the agent (the question tool) waiting for {@code POST answers}. */
  public record PendingQuestion(String id, String question, List<String> choices, String askedAt) {}

  /** The newest snapshot of the run and how many snapshots the workspace history holds. */
  public record Snapshot(String commit, int count) {}

  /** The final answer, at most {@value RunnerApiLimits#RESULT_MAX_BYTES} bytes of UTF-8. */
  public record Result(String text, boolean truncated) {

    /**
     * {@code text} cut to {@value RunnerApiLimits#RESULT_MAX_BYTES} bytes of UTF-8 (never inside
     * a character), truncated when cut here or already before.
     */
    public static Result capped(String text, boolean alreadyTruncated) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (bytes.length <= RunnerApiLimits.RESULT_MAX_BYTES) {
        return new Result(text, alreadyTruncated);
      }
      int end = RunnerApiLimits.RESULT_MAX_BYTES;
      // Back up to the start of a UTF-8 sequence, so no character is cut in half.
      while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
        end--;
      }
      return new Result(new String(bytes, 0, end, StandardCharsets.UTF_8), true);
    }
  }

  /** True once the runner reports a final phase; not a wire field. */
  @JsonIgnore
  public boolean isFinished() {
    return RunPhase.isFinal(phase);
  }

  /** The pending approvals, never null. */
  public List<PendingApproval> pendingApprovalsOrEmpty() {
    return pendingApprovals == null ? List.of() : pendingApprovals;
  }

  /** The pending questions, never null. */
  public List<PendingQuestion> pendingQuestionsOrEmpty() {
    return pendingQuestions == null ? List.of() : pendingQuestions;
  }
}
