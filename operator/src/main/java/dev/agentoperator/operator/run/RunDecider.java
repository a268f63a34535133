package dev.agentoperator.operator.run;

import static dev.agentoperator.operator.run.RunDeadlines.sooner;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.run.MilestoneEvents.Milestone;
import dev.agentoperator.operator.run.RunAction.CancelInRunner;
import dev.agentoperator.operator.run.RunAction.Dispatch;
import dev.agentoperator.operator.run.RunAction.ForgetRun;
import dev.agentoperator.operator.run.RunAction.ForgetToken;
import dev.agentoperator.operator.run.RunAction.FreeSession;
import dev.agentoperator.operator.run.RunAction.LosePod;
import dev.agentoperator.operator.run.RunAction.RecordMilestone;
import dev.agentoperator.operator.run.RunAction.RememberPod;
import dev.agentoperator.operator.run.RunObservation.PodState;
import dev.agentoperator.operator.runnerclient.RunnerReply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's transitions as a pure function: an observation in, the next status and the actions
 * out. Queue, dispatch, progress, approvals and answers, cancel, the timeout backstop, pod loss and
 * resume, and the end. No client: the clock is its only input besides the observation.
 */
final class RunDecider {

  static final Duration RETRY_SOON = Duration.ofSeconds(2);

  private final RunStatusFactory statuses;
  private final RunSettings settings;
  private final RunDeadlines deadlines;
  private final RunnerReport report;

  RunDecider(RunStatusFactory statuses, RunSettings settings, Clock clock) {
    this.statuses = statuses;
    this.settings = settings;
    this.deadlines = new RunDeadlines(settings, clock);
    this.report = new RunnerReport(statuses, deadlines, this::end);
  }

  /** The run's clocks, as this decider reads them. */
  RunDeadlines deadlines() {
    return deadlines;
  }

  /** The next status and actions for what was observed. */
  RunDecision decide(RunObservation seen) {
    if (seen.holdsSession()) {
      return active(seen);
    }
    RunDecision next = waiting(seen);
    boolean needsSession =
        seen.run().getSpec().sessionTemplate() != null
            && seen.session() == null
            && (next.status().getPhase() == null || !next.status().getPhase().isTerminal());
    return needsSession ? next.after(List.of(new RunAction.CreateSession())) : next;
  }

  /** The next status after the runner answered a {@link Dispatch} that {@code before} asked for. */
  RunDecision dispatched(RunObservation seen, RunDecision before, DispatchResult result) {
    boolean resume = before.dispatch().map(Dispatch::resume).orElse(false);
    AgentRunStatus status = RunStatusFactory.draft(before.status());
    String session = status.getSession();
    return switch (result) {
      case DispatchResult.SessionUnreadable u ->
          waitForRunner(
              seen,
              status,
              resume,
              "waiting for AgentSession '"
                  + RunQueue.sessionOf(seen.run())
                  + "' to be readable; a run is sent to the runner only with its session's tool"
                  + " policy");
      case DispatchResult.NoToken t ->
          waitForRunner(seen, status, resume, "waiting for the session's runner token Secret");
      case DispatchResult.Replied replied -> {
        RunnerReply<RunSummary> reply = replied.reply();
        yield switch (reply.outcome()) {
          case OK, CREATED -> started(seen, status, reply, replied.events(), resume);
          case CONFLICT ->
              waitForRunner(
                  seen,
                  status,
                  resume,
                  "the session's runner is still busy with run " + reply.activeRun());
          case UNAUTHORIZED ->
              waitForRunner(
                      seen, status, resume, "the runner refused the session's token; retrying")
                  .after(List.of(new ForgetToken(session)));
          case BAD_REQUEST ->
              end(
                  seen,
                  status,
                  AgentRunPhase.Failed,
                  "RunnerRejected",
                  "the runner refused the run: " + reply.error());
          default ->
              waitForRunner(
                  seen, status, resume, "the runner is not reachable yet: " + reply.error());
        };
      }
    };
  }

  /** A run that does not hold its session yet: end, queue, wait for the sandbox, or dispatch. */
  private RunDecision waiting(RunObservation seen) {
    AgentRun run = seen.run();
    AgentRunStatus status =
        RunStatusFactory.draft(seen.status()).setSession(RunQueue.sessionOf(run));
    if (seen.cancelRequested()) {
      return end(seen, status, AgentRunPhase.Cancelled, "Cancelled", "cancelled before it started");
    }
    RunObservation.Queue queue = seen.queue();
    if (queue.holder() != null) {
      String why = "waiting for run " + queue.holder() + " to finish";
      return queue(seen, status, queue.position(), why);
    }
    if (queue.position() > 1) {
      return queue(
          seen,
          status,
          queue.position(),
          (queue.position() - 1) + " run(s) ahead in the session's queue");
    }
    if (seen.session() != null && Boolean.TRUE.equals(seen.session().getSpec().suspend())) {
      return queue(seen, status, 1, "the session is suspended");
    }
    if (seen.podState() != PodState.READY) {
      return awaitSandbox(
          seen,
          status,
          "waiting for the session's sandbox pod to be ready"
              + SessionSandboxes.whyNotReady(seen.session()));
    }
    return new RunDecision(status, List.of(new Dispatch(status.getSession(), false)), null);
  }

  /** The active run: cancel, timeout backstop, pod loss, then progress from the runner. */
  private RunDecision active(RunObservation seen) {
    AgentRunStatus status = RunStatusFactory.draft(seen.status());
    String session = status.getSession();
    if (seen.cancelRequested()) {
      return end(seen, status, AgentRunPhase.Cancelled, "Cancelled", "cancelled by spec.cancel")
          .after(List.of(new CancelInRunner(session)));
    }
    Duration untilDeadline = deadlines.untilTimeout(seen.run(), status);
    if (!untilDeadline.isPositive()) {
      return end(
              seen,
              status,
              AgentRunPhase.TimedOut,
              "TimedOut",
              "the run exceeded limits.timeout ("
                  + RunDeadlines.timeoutOf(seen.run()).toSeconds()
                  + "s) and the runner did not end it; the operator stopped it")
          .after(List.of(new CancelInRunner(session)));
    }
    if (status.getPodName() == null) {
      // lost its pod earlier: resume as soon as the session's pod serves again
      return seen.podState() == PodState.READY
          ? new RunDecision(status, List.of(new Dispatch(session, true)), null)
          : new RunDecision(status, List.of(), sooner(untilDeadline, settings.queueRecheck()));
    }
    if (seen.podState().isGone()) {
      return lost(seen, status, "the sandbox pod " + status.getPodName() + " was lost");
    }
    List<RunAction> actions = new ArrayList<>();
    if (seen.memory().podUid() == null) {
      actions.add(new RememberPod(seen.pod().getMetadata().getUid()));
    }
    if (seen.podState() == PodState.NOT_READY) {
      return new RunDecision(status, actions, sooner(untilDeadline, RETRY_SOON));
    }
    RunnerReply<RunSummary> reply = seen.summary();
    if (reply == null) {
      return new RunDecision(status, actions, RETRY_SOON); // no runner token yet
    }
    return switch (reply.outcome()) {
      case OK, CREATED, ACCEPTED -> {
        if (reply.body().interrupted()) {
          // The runner restarted inside the same pod: nothing executes the run until it is
          // dispatched again with resume, which continues from its checkpoint.
          yield lost(seen, status, "the runner in pod " + status.getPodName() + " restarted");
        }
        if (seen.memory().resolved() != null) {
          statuses.withResolved(status, seen.memory().resolved());
        }
        actions.addAll(RunnerReport.forwards(seen, reply.body()));
        String podName = seen.pod().getMetadata().getName();
        RunDecision next =
            report.fold(seen, status, reply.body(), seen.events(), podName).after(actions);
        yield next.status().getPhase().isTerminal()
            ? next
            : next.withRecheck(sooner(untilDeadline, next.recheck()));
      }
      case NOT_FOUND ->
          lost(seen, status, "the runner in pod " + status.getPodName() + " does not know the run");
      case UNAUTHORIZED -> {
        actions.add(new ForgetToken(session));
        yield new RunDecision(status, actions, RETRY_SOON);
      }
      default -> new RunDecision(status, actions, sooner(untilDeadline, RETRY_SOON));
    };
  }

  private RunDecision started(
      RunObservation seen,
      AgentRunStatus status,
      RunnerReply<RunSummary> reply,
      List<RunEvent> events,
      boolean resume) {
    int attempts = status.getAttempts() == null ? 0 : status.getAttempts();
    if (reply.outcome() == RunnerReply.Outcome.CREATED || attempts == 0) {
      attempts++;
    }
    String podName = seen.pod().getMetadata().getName();
    String message =
        resume
            ? "resumed on pod " + podName + " (attempt " + attempts + ")"
            : "running on pod " + podName;
    statuses.started(status, podName, attempts, message);
    return report.fold(seen, status, reply.body(), events, podName)
        .after(
            List.of(
                new RememberPod(seen.pod().getMetadata().getUid()),
                new RecordMilestone(resume ? Milestone.Resumed : Milestone.Started, message)));
  }

  /** Puts the run in line with its 1-based position and the reason it waits. */
  private RunDecision queue(RunObservation seen, AgentRunStatus status, int position, String why) {
    List<RunAction> actions =
        status.getPhase() == AgentRunPhase.Queued
            ? List.of()
            : List.of(new RecordMilestone(Milestone.Queued, why));
    statuses.queued(status, position, why, seen.generation());
    return new RunDecision(status, actions, settings.queueRecheck());
  }

  /**
   * Queues a run that waits for its session's sandbox, at most its timeout from its creation (it
   * never started); then it fails with reason SandboxUnavailable and {@code why}.
   */
  private RunDecision awaitSandbox(RunObservation seen, AgentRunStatus status, String why) {
    String created = seen.run().getMetadata().getCreationTimestamp();
    if (created == null) {
      return queue(seen, status, 1, why);
    }
    Duration timeout = RunDeadlines.timeoutOf(seen.run());
    Duration left = deadlines.untilSandboxGivenUp(seen.run(), created);
    if (!left.isPositive()) {
      return end(
          seen,
          status,
          AgentRunPhase.Failed,
          "SandboxUnavailable",
          "the session's sandbox was not ready within limits.timeout ("
              + timeout.toSeconds()
              + "s) of the run's creation; "
              + why);
    }
    RunDecision queued = queue(seen, status, 1, why);
    return queued.withRecheck(sooner(left, queued.recheck()));
  }

  /** The runner did not take the run: a resumed run keeps its phase, a new one waits queued. */
  private RunDecision waitForRunner(
      RunObservation seen, AgentRunStatus status, boolean resume, String why) {
    if (resume) {
      statuses.waiting(status, why, seen.generation());
      return new RunDecision(status, List.of(), RETRY_SOON);
    }
    RunDecision waiting = awaitSandbox(seen, status, why);
    return waiting.withRecheck(sooner(waiting.recheck(), RETRY_SOON));
  }

  /** The pod went away mid-run: resume on the next pod, or fail after the attempt limit. */
  private RunDecision lost(RunObservation seen, AgentRunStatus status, String why) {
    int attempts = status.getAttempts() == null ? 1 : status.getAttempts();
    if (attempts >= settings.maxAttempts()) {
      return end(
          seen,
          status,
          AgentRunPhase.Failed,
          "PodLost",
          why
              + "; the run was dispatched "
              + attempts
              + " times, the limit"
              + " (AGENT_OPERATOR_MAX_ATTEMPTS), so it fails");
    }
    statuses.lost(
        status, why + "; the run resumes when the session's pod is back", seen.generation());
    return new RunDecision(status, List.of(new LosePod()), settings.queueRecheck());
  }

  /** Ends the run: terminal status, memory dropped, a milestone, and the session freed. */
  RunDecision end(
      RunObservation seen, AgentRunStatus status, AgentRunPhase phase, String reason, String why) {
    statuses.ended(status, phase, reason, why, seen.generation());
    return new RunDecision(
        status,
        List.of(
            new ForgetRun(),
            new RecordMilestone(Milestone.valueOf(phase.name()), status.getMessage()),
            new FreeSession(status.getSession())),
        deadlines.untilDeleted(seen.run(), status));
  }
}
