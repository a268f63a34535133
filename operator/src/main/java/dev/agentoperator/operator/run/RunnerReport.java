package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.Answer;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import dev.agentoperator.operator.api.v1alpha1.PendingQuestion;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import dev.agentoperator.operator.run.MilestoneEvents.Milestone;
import dev.agentoperator.operator.run.RunAction.ForwardAnswer;
import dev.agentoperator.operator.run.RunAction.ForwardApproval;
import dev.agentoperator.operator.run.RunAction.RecordMilestone;
import dev.agentoperator.operator.run.RunAction.RememberSteps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The decide step's part that reads what the runner reports: the summary and new events folded
 * into status, a milestone for each new push, pull request, approval or question, the answers in
 * spec to pass on, and the end when the runner ended the run. Pure, like {@link RunDecider}.
 */
final class RunnerReport {

  /** How the run ends, as {@link RunDecider} ends it. */
  interface Ending {
    RunDecision end(
        RunObservation seen, AgentRunStatus status, AgentRunPhase phase, String reason, String why);
  }

  private final RunStatusFactory statuses;
  private final RunDeadlines deadlines;
  private final Ending ending;

  RunnerReport(RunStatusFactory statuses, RunDeadlines deadlines, Ending ending) {
    this.statuses = statuses;
    this.deadlines = deadlines;
    this.ending = ending;
  }

  /** Each answer in spec the runner waits for and was not sent before, approvals first. */
  static List<RunAction> forwards(RunObservation seen, RunSummary summary) {
    List<RunAction> all = new ArrayList<>(forwardApprovals(seen, summary));
    all.addAll(forwardAnswers(seen, summary));
    return all;
  }

  /** Folds the runner's summary and new events into status; ends the run when the runner did. */
  RunDecision fold(
      RunObservation seen,
      AgentRunStatus status,
      RunSummary summary,
      List<RunEvent> events,
      String podName) {
    List<RunAction> actions = new ArrayList<>();
    List<StepSummary> earlier =
        seen.memory().steps() != null ? seen.memory().steps() : status.getRecentSteps();
    List<StepSummary> recent = RunProgress.foldSteps(earlier, events);
    actions.add(new RememberSteps(recent));
    Set<String> approvalsBefore = ids(status.getPendingApprovals(), PendingApproval::id);
    Set<String> questionsBefore = ids(status.getPendingQuestions(), PendingQuestion::id);
    var pushBefore = status.getLastPush();
    var pullRequestBefore = status.getPullRequest();
    statuses.progressed(status, summary, recent);
    if (status.getLastPush() != null && !status.getLastPush().equals(pushBefore)) {
      actions.add(
          new RecordMilestone(Milestone.Pushed, RunProgress.pushedMessage(status.getLastPush())));
    }
    if (status.getPullRequest() != null && !status.getPullRequest().equals(pullRequestBefore)) {
      actions.add(
          new RecordMilestone(
              Milestone.PullRequestOpened,
              RunProgress.pullRequestMessage(status.getPullRequest())));
    }
    AgentRunPhase phase = phaseOf(summary.phase());
    if (phase.isTerminal()) {
      String message =
          summary.message() != null ? summary.message() : "the run ended as " + phase.name();
      return ending.end(seen, status, phase, summary.reason(), message).after(actions);
    }
    String message = null;
    var approvals = status.getPendingApprovals();
    var questions = status.getPendingQuestions();
    if (approvals.stream().anyMatch(p -> !approvalsBefore.contains(p.id()))) {
      var first = approvals.getFirst();
      message = RunProgress.approvalRequiredMessage(first);
      actions.add(new RecordMilestone(Milestone.ApprovalRequired, message));
    } else if (questions.stream().anyMatch(q -> !questionsBefore.contains(q.id()))) {
      var first = questions.getFirst();
      message =
          RunProgress.cut(
              "waiting for an answer to question "
                  + first.id()
                  + " (\""
                  + first.question()
                  + "\"); answer it with `kubectl agent answer` or in spec.answers",
              RunProgress.MESSAGE_LIMIT);
      actions.add(new RecordMilestone(Milestone.InputRequired, message));
    } else if (phase == AgentRunPhase.Running && approvals.isEmpty() && questions.isEmpty()) {
      message = "running on pod " + podName;
    }
    statuses.inPhase(status, phase, message, seen.generation());
    return new RunDecision(status, actions, deadlines.untilTimeout(seen.run(), status));
  }

  /**
   * Each answer in spec.approvals to a call the runner waits on and that was not sent before.
   * {@code by} is only reported: who may answer is the admission policy's business.
   */
  private static List<RunAction> forwardApprovals(RunObservation seen, RunSummary summary) {
    List<Approval> answers = seen.run().getSpec().approvals();
    if (answers == null || answers.isEmpty()) {
      return List.of();
    }
    Map<String, RunSummary.PendingApproval> pending =
        summary.pendingApprovalsOrEmpty().stream()
            .collect(Collectors.toMap(p -> p.id(), Function.identity(), (a, b) -> a));
    return answers.stream()
        .filter(a -> pending.containsKey(a.id()) && !seen.memory().forwarded().contains(a.id()))
        .<RunAction>map(a -> new ForwardApproval(a, pending.get(a.id())))
        .toList();
  }

  /**
   * Each answer in spec.answers to a question the runner waits on, not sent before. Only the
   * operator holds the runner's token, so an answer can only come from the AgentRun's spec.
   */
  private static List<RunAction> forwardAnswers(RunObservation seen, RunSummary summary) {
    List<Answer> answers = seen.run().getSpec().answers();
    if (answers == null || answers.isEmpty() || summary.pendingQuestionsOrEmpty().isEmpty()) {
      return List.of();
    }
    Set<String> pending = ids(summary.pendingQuestionsOrEmpty(), RunSummary.PendingQuestion::id);
    // Question ids never collide with approval ids (question-* / approval-*): one sent set.
    return answers.stream()
        .filter(a -> pending.contains(a.id()) && !seen.memory().forwarded().contains(a.id()))
        .<RunAction>map(ForwardAnswer::new)
        .toList();
  }

  private static AgentRunPhase phaseOf(String runnerPhase) {
    try {
      return runnerPhase == null ? AgentRunPhase.Running : AgentRunPhase.valueOf(runnerPhase);
    } catch (IllegalArgumentException e) {
      return AgentRunPhase.Running;
    }
  }

  private static <T> Set<String> ids(List<T> items, Function<T, String> id) {
    return items == null
        ? Set.of()
        : items.stream().map(id).filter(Objects::nonNull).collect(Collectors.toSet());
  }
}
