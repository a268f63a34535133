package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.ResolvedApproval;
import dev.agentoperator.operator.run.MilestoneEvents.Milestone;
import dev.agentoperator.operator.run.RunAction.CancelInRunner;
import dev.agentoperator.operator.run.RunAction.CreateSession;
import dev.agentoperator.operator.run.RunAction.Dispatch;
import dev.agentoperator.operator.run.RunAction.ForgetRun;
import dev.agentoperator.operator.run.RunAction.ForgetToken;
import dev.agentoperator.operator.run.RunAction.ForwardAnswer;
import dev.agentoperator.operator.run.RunAction.ForwardApproval;
import dev.agentoperator.operator.run.RunAction.FreeSession;
import dev.agentoperator.operator.run.RunAction.LosePod;
import dev.agentoperator.operator.run.RunAction.RecordMilestone;
import dev.agentoperator.operator.run.RunAction.RememberPod;
import dev.agentoperator.operator.run.RunAction.RememberSteps;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEndpoint;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.runnerclient.RunnerReply;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs a decision's actions against the runner, the run's memory and the API (Events), in the
 * order decided. What the decide step needs back comes back: the runner's answer to a dispatch, and
 * the approvals the runner accepted.
 */
final class RunActor {

  private static final Logger LOG = LoggerFactory.getLogger(RunActor.class);

  private final RunnerClient runner;
  private final RunnerEventSource events;
  private final SessionSandboxes sandboxes;
  private final RunMemories memories;
  private final RunStatusFactory statuses;

  RunActor(
      RunnerClient runner,
      RunnerEventSource events,
      SessionSandboxes sandboxes,
      RunMemories memories,
      RunStatusFactory statuses) {
    this.runner = runner;
    this.events = events;
    this.sandboxes = sandboxes;
    this.memories = memories;
    this.statuses = statuses;
  }

  /**
   * What acting gave back.
   *
   * @param dispatched the runner's answer to a dispatch, when the decision had one
   * @param resolved the approvals answered so far, when one was answered now (else null)
   */
  record Result(Optional<DispatchResult> dispatched, List<ResolvedApproval> resolved) {}

  Result perform(RunLifecycle.Step step, RunObservation seen, RunDecision decision) {
    RunMemory memory = memories.of(step.id());
    Optional<DispatchResult> dispatched = Optional.empty();
    List<ResolvedApproval> resolved = decision.status().getResolvedApprovals();
    boolean answered = false;
    for (RunAction action : decision.actions()) {
      switch (action) {
        case Dispatch d -> dispatched = Optional.of(dispatch(step, seen, d));
        case CreateSession c -> createSession(step);
        case CancelInRunner c -> cancelInRunner(step, seen.pod(), c.session());
        case ForwardApproval f -> {
          Optional<ResolvedApproval> entry = forward(step, seen, memory, f);
          if (entry.isPresent()) {
            resolved = RunProgress.addResolved(resolved, entry.get());
            memory.rememberResolved(resolved);
            answered = true;
          }
        }
        case ForwardAnswer a -> forward(step, seen, memory, a);
        case RecordMilestone m -> step.milestones().record(step.run(), m.milestone(), m.message());
        case ForgetToken t -> sandboxes.forgetToken(step.namespace(), t.session());
        case RememberPod p -> memory.rememberPod(p.uid());
        case RememberSteps s -> memory.rememberSteps(s.steps());
        case LosePod l -> {
          events.unwatch(step.id());
          memory.forgetPod();
        }
        case ForgetRun f -> memories.forget(step.id());
        case FreeSession s -> step.freeSession().accept(s.session());
      }
    }
    return new Result(dispatched, answered ? resolved : null);
  }

  private DispatchResult dispatch(RunLifecycle.Step step, RunObservation seen, Dispatch dispatch) {
    if (seen.dispatchSession().isEmpty()) {
      return new DispatchResult.SessionUnreadable();
    }
    if (seen.endpoint().isEmpty()) {
      return new DispatchResult.NoToken();
    }
    RunnerEndpoint endpoint = seen.endpoint().get();
    String uid = step.run().getMetadata().getUid();
    RunnerReply<RunSummary> reply =
        runner.start(
            endpoint,
            uid,
            RunRequests.build(step.run(), seen.dispatchSession().get().getSpec(), dispatch.resume()));
    if (reply.outcome() != RunnerReply.Outcome.OK
        && reply.outcome() != RunnerReply.Outcome.CREATED) {
      return new DispatchResult.Replied(reply, List.of());
    }
    events.watch(step.id(), uid, endpoint, 0);
    return new DispatchResult.Replied(reply, events.drain(step.id()));
  }

  /**
   * Creates the run's ephemeral session from spec.sessionTemplate; one that exists already (made
   * by an earlier reconcile, not yet in the cache) is kept.
   */
  private void createSession(RunLifecycle.Step step) {
    AgentSession desired = EphemeralSession.desired(step.run());
    try {
      step.client().resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return;
    }
    LOG.info(
        "ephemeral session created: namespace={} name={} session={}",
        step.namespace(),
        step.run().getMetadata().getName(),
        desired.getMetadata().getName());
  }

  /** Best-effort cancel in the runner, for spec.cancel, the timeout backstop and deletion. */
  void cancelInRunner(RunLifecycle.Step step, Pod pod, String session) {
    if (pod == null || !SessionSandboxes.isReady(pod) || session == null) {
      return;
    }
    sandboxes
        .endpoint(step.client(), session, pod)
        .ifPresent(
            endpoint -> {
              var reply = runner.cancel(endpoint, step.run().getMetadata().getUid());
              LOG.info(
                  "cancel sent: namespace={} name={} outcome={}",
                  step.namespace(),
                  step.run().getMetadata().getName(),
                  reply.outcome());
            });
  }

  /**
   * Passes one approval answer to the runner unless sent before; the resolved entry when the
   * runner took it. A conflict (answered already) counts as sent, so it is not sent again.
   */
  private Optional<ResolvedApproval> forward(
      RunLifecycle.Step step, RunObservation seen, RunMemory memory, ForwardApproval forward) {
    var answer = forward.answer();
    if (memory.wasForwarded(answer.id())) {
      return Optional.empty();
    }
    AgentRun run = step.run();
    RunnerReply<RunSummary> reply =
        endpointOf(step, seen)
            .map(
                e ->
                    runner.approve(
                        e,
                        run.getMetadata().getUid(),
                        new ApprovalDecision(
                            answer.id(), answer.decision().name(), answer.reason(), answer.by())))
            .orElse(null);
    if (reply == null) {
      return Optional.empty();
    }
    if (reply.isSuccess() || reply.outcome() == RunnerReply.Outcome.CONFLICT) {
      memory.markForwarded(answer.id());
    }
    LOG.info(
        "approval forwarded: namespace={} name={} approval={} decision={} by={} outcome={}",
        step.namespace(),
        run.getMetadata().getName(),
        answer.id(),
        answer.decision(),
        answer.by(),
        reply.outcome());
    if (!reply.isSuccess()) {
      return Optional.empty();
    }
    ResolvedApproval entry =
        new ResolvedApproval(
            answer.id(), forward.call().tool(), answer.decision(), answer.by(), statuses.now());
    step.milestones()
        .record(
            run,
            Milestone.ApprovalResolved,
            RunProgress.resolvedMessage(entry, forward.call().summary(), answer.reason()));
    return Optional.of(entry);
  }

  private void forward(
      RunLifecycle.Step step, RunObservation seen, RunMemory memory, ForwardAnswer forward) {
    var answer = forward.answer();
    if (memory.wasForwarded(answer.id())) {
      return;
    }
    RunnerReply<RunSummary> reply =
        endpointOf(step, seen)
            .map(
                e ->
                    runner.answer(
                        e,
                        step.run().getMetadata().getUid(),
                        new QuestionAnswer(answer.id(), answer.answer(), answer.by())))
            .orElse(null);
    if (reply == null) {
      return;
    }
    if (reply.isSuccess() || reply.outcome() == RunnerReply.Outcome.CONFLICT) {
      memory.markForwarded(answer.id());
    }
    LOG.info(
        "answer forwarded: namespace={} name={} question={} by={} outcome={}",
        step.namespace(),
        step.run().getMetadata().getName(),
        answer.id(),
        answer.by(),
        reply.outcome());
    if (reply.isSuccess()) {
      step.milestones()
          .record(
              step.run(),
              Milestone.InputAnswered,
              RunProgress.answeredMessage(answer.id(), answer.by()));
    }
  }

  /** The runner endpoint the observation found. */
  private Optional<RunnerEndpoint> endpointOf(RunLifecycle.Step step, RunObservation seen) {
    return seen.endpoint();
  }
}
