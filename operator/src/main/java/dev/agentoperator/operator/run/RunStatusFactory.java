package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.ResolvedApproval;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds an AgentRun's status: every status edit of the run side is one of these methods, each
 * applied to a draft (a copy made by {@link #draft}) and returning it, with the conditions that
 * go with the phase.
 */
final class RunStatusFactory {

  private final RunConditions conditions;
  private final Clock clock;

  RunStatusFactory(RunConditions conditions, Clock clock) {
    this.conditions = conditions;
    this.clock = clock;
  }

  /** A copy of {@code status} to build the next one on (its lists are never edited in place). */
  static AgentRunStatus draft(AgentRunStatus status) {
    AgentRunStatus s = status == null ? new AgentRunStatus() : status;
    return new AgentRunStatus()
        .setObservedGeneration(s.getObservedGeneration())
        .setPhase(s.getPhase())
        .setConditions(s.getConditions())
        .setSession(s.getSession())
        .setPodName(s.getPodName())
        .setQueuePosition(s.getQueuePosition())
        .setAttempts(s.getAttempts())
        .setStartTime(s.getStartTime())
        .setCompletionTime(s.getCompletionTime())
        .setSteps(s.getSteps())
        .setToolCalls(s.getToolCalls())
        .setUsage(s.getUsage())
        .setRecentSteps(s.getRecentSteps())
        .setPendingApprovals(s.getPendingApprovals())
        .setPendingQuestions(s.getPendingQuestions())
        .setResolvedApprovals(s.getResolvedApprovals())
        .setSnapshot(s.getSnapshot())
        .setResult(s.getResult())
        .setLastPush(s.getLastPush())
        .setPullRequest(s.getPullRequest())
        .setMessage(s.getMessage());
  }

  /** Not accepted: Pending, with the message that says what to fix. */
  AgentRunStatus rejected(AgentRunStatus draft, String message, Long generation) {
    draft.setPhase(AgentRunPhase.Pending).setMessage(message);
    conditions.rejected(draft, message, generation);
    return draft;
  }

  /** Waiting in line at {@code position} (1-based), for the reason {@code why}. */
  AgentRunStatus queued(AgentRunStatus draft, int position, String why, Long generation) {
    draft.setPhase(AgentRunPhase.Queued).setQueuePosition(position).setMessage(why);
    conditions.forPhase(draft, AgentRunPhase.Queued, null, generation);
    return draft;
  }

  /** Still in its phase, waiting for {@code why} (a resumed run waits for its runner). */
  AgentRunStatus waiting(AgentRunStatus draft, String why, Long generation) {
    draft.setMessage(why);
    conditions.forPhase(draft, draft.getPhase(), null, generation);
    return draft;
  }

  /** Dispatched to {@code podName}; the runner's reply is folded in by {@link #progressed}. */
  AgentRunStatus started(AgentRunStatus draft, String podName, int attempts, String message) {
    draft
        .setPhase(AgentRunPhase.Running)
        .setQueuePosition(null)
        .setPodName(podName)
        .setAttempts(attempts)
        .setMessage(message);
    if (draft.getStartTime() == null) {
      draft.setStartTime(now());
    }
    return draft;
  }

  /** The runner's summary and the step lines folded in; the phase is set by {@link #inPhase}. */
  AgentRunStatus progressed(AgentRunStatus draft, RunSummary summary, List<StepSummary> steps) {
    draft.setRecentSteps(steps);
    RunProgress.applySummary(draft, summary);
    return draft;
  }

  /** In {@code phase}, with {@code message} when not null (else the message stays). */
  AgentRunStatus inPhase(
      AgentRunStatus draft, AgentRunPhase phase, String message, Long generation) {
    draft.setPhase(phase);
    if (message != null) {
      draft.setMessage(message);
    }
    conditions.forPhase(draft, phase, null, generation);
    return draft;
  }

  /** Lost its pod: no pod until the run resumes, in the phase it had. */
  AgentRunStatus lost(AgentRunStatus draft, String message, Long generation) {
    draft.setPodName(null).setMessage(message);
    conditions.forPhase(draft, draft.getPhase(), null, generation);
    return draft;
  }

  /** Ended: terminal phase, completion time, nothing pending, the end reason in the conditions. */
  AgentRunStatus ended(
      AgentRunStatus draft, AgentRunPhase phase, String reason, String message, Long generation) {
    draft
        .setPhase(phase)
        .setCompletionTime(now())
        .setQueuePosition(null)
        .setPendingApprovals(List.of())
        .setPendingQuestions(List.of())
        .setMessage(RunProgress.cut(message, RunProgress.MESSAGE_LIMIT));
    conditions.forPhase(draft, phase, reason, generation);
    return draft;
  }

  /** The approvals answered so far, as the act step recorded them. */
  AgentRunStatus withResolved(AgentRunStatus draft, List<ResolvedApproval> resolved) {
    return draft.setResolvedApprovals(resolved);
  }

  /** Now, with second precision, as status timestamps are written. */
  String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
