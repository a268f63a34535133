package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.Answer;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import dev.agentoperator.operator.run.MilestoneEvents.Milestone;
import java.util.List;

/** One thing the decide step asks the act step to do; performed in the order decided. */
sealed interface RunAction {

  /** Create the run's ephemeral session from its spec.sessionTemplate. */
  record CreateSession() implements RunAction {}

  /** Send the run to the session's runner ({@code PUT /v1/runs/{uid}}); the reply is decided on. */
  record Dispatch(String session, boolean resume) implements RunAction {}

  /** Best-effort cancel in the runner (spec.cancel, the timeout backstop). */
  record CancelInRunner(String session) implements RunAction {}

  /** Pass an answer from spec.approvals to the runner, once; record who gave it. */
  record ForwardApproval(Approval answer, RunSummary.PendingApproval call) implements RunAction {}

  /** Pass an answer from spec.answers to a question the runner waits on, once. */
  record ForwardAnswer(Answer answer) implements RunAction {}

  /** A Kubernetes Event for a milestone. */
  record RecordMilestone(Milestone milestone, String message) implements RunAction {}

  /** Drop the cached runner token of the session: the runner refused it. */
  record ForgetToken(String session) implements RunAction {}

  /** Remember the uid of the pod the run executes in. */
  record RememberPod(String uid) implements RunAction {}

  /** Remember the step lines folded so far (a throttled write may not store them yet). */
  record RememberSteps(List<StepSummary> steps) implements RunAction {}

  /** The run lost its pod: stop following its events and forget the pod. */
  record LosePod() implements RunAction {}

  /** The run ended: drop its memory and event stream. */
  record ForgetRun() implements RunAction {}

  /** Let the session's next run go, once this run's status is written. */
  record FreeSession(String session) implements RunAction {}
}
