package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.Answer;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import dev.agentoperator.operator.api.v1alpha1.PendingQuestion;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import dev.agentoperator.operator.config.Durations;
import dev.agentoperator.operator.run.MilestoneEvents.Milestone;
import dev.agentoperator.operator.run.RunAction.CancelInRunner;
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
import dev.agentoperator.operator.run.RunObservation.PodState;
import dev.agentoperator.operator.runner.RunEvent;
import dev.agentoperator.operator.runner.RunSummary;
import dev.agentoperator.operator.runner.RunnerReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run's transitions as a pure function: an observation in, the next status and the actions
 * out. Queue, dispatch, progress, approvals and answers, cancel, the timeout backstop, pod loss and
 * resume, and the end. No client: the clock is its only input besides the observation.
 */
final class RunDecider {

  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  static final Duration RETRY_SOON = Duration.ofSeconds(2);

  private final RunStatusFactory statuses;
  private final RunSettings settings;
  private final Clock clock;

  RunDecider(RunStatusFactory statuses, RunSettings settings, Clock clock) {
    this.statuses = statuses;
    this.settings = settings;
    this.clock = clock;
  }

  /** The next status and actions for what was observed. */
  RunDecision decide(RunObservation seen) {
    return seen.holdsSession() ? active(seen) : waiting(seen);
  }

  /** The next status after the runner answered a {@link Dispatch} that {@code before} asked for. */
  RunDecision dispatched(RunObservation seen, RunDecision before, DispatchResult result) {
    boolean resume = before.dispatch().map(Dispatch::resume).orElse(false);
    AgentRunStatus status = before.status();
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
      return queue(seen, status, queue.position(), "waiting for run " + queue.holder() + " to finish");
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
    Duration untilDeadline = untilDeadline(seen.run(), status);
    if (!untilDeadline.isPositive()) {
      return end(
              seen,
              status,
              AgentRunPhase.TimedOut,
              "TimedOut",
              "the run exceeded limits.timeout ("
                  + timeoutOf(seen.run()).toSeconds()
                  + "s) and the runner did not end it; the operator stopped it")
          .after(List.of(new CancelInRunner(session)));
    }
    if (status.getPodName() == null) {
      // lost its pod earlier: resume as soon as the session's pod serves again
      return seen.podState() == PodState.READY
          ? new RunDecision(status, List.of(new Dispatch(session, true)), null)
          : new RunDecision(status, List.of(), shorter(untilDeadline, settings.queueRecheck()));
    }
    if (seen.podState().isGone()) {
      return lost(seen, status, "the sandbox pod " + status.getPodName() + " was lost");
    }
    List<RunAction> actions = new ArrayList<>();
    if (seen.memory().podUid() == null) {
      actions.add(new RememberPod(seen.pod().getMetadata().getUid()));
    }
    if (seen.podState() == PodState.NOT_READY) {
      return new RunDecision(status, actions, shorter(untilDeadline, RETRY_SOON));
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
          status.setResolvedApprovals(seen.memory().resolved());
        }
        actions.addAll(forwardApprovals(seen, reply.body()));
        actions.addAll(forwardAnswers(seen, reply.body()));
        RunDecision next =
            progress(seen, status, reply.body(), seen.events(), seen.pod().getMetadata().getName())
                .after(actions);
        yield next.status().getPhase().isTerminal()
            ? next
            : next.withRecheck(shorter(untilDeadline, next.recheck()));
      }
      case NOT_FOUND ->
          lost(seen, status, "the runner in pod " + status.getPodName() + " does not know the run");
      case UNAUTHORIZED -> {
        actions.add(new ForgetToken(session));
        yield new RunDecision(status, actions, RETRY_SOON);
      }
      default -> new RunDecision(status, actions, shorter(untilDeadline, RETRY_SOON));
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
    return progress(seen, status, reply.body(), events, podName)
        .after(
            List.of(
                new RememberPod(seen.pod().getMetadata().getUid()),
                new RecordMilestone(resume ? Milestone.Resumed : Milestone.Started, message)));
  }

  /** Folds the runner's summary and new events into status; ends the run when the runner did. */
  private RunDecision progress(
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
      return end(seen, status, phase, summary.reason(), message).after(actions);
    }
    String message = null;
    var approvals = status.getPendingApprovals();
    var questions = status.getPendingQuestions();
    if (approvals.stream().anyMatch(p -> !approvalsBefore.contains(p.id()))) {
      var first = approvals.getFirst();
      message =
          "waiting for approval "
              + first.id()
              + " ("
              + first.tool()
              + ": "
              + first.summary()
              + "); answer it in spec.approvals";
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
    return new RunDecision(status, actions, untilDeadline(seen.run(), status));
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
    Duration timeout = timeoutOf(seen.run());
    Duration left = Duration.between(clock.instant(), Instant.parse(created).plus(timeout));
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
    return queued.withRecheck(shorter(left, queued.recheck()));
  }

  /** The runner did not take the run: a resumed run keeps its phase, a new one waits queued. */
  private RunDecision waitForRunner(
      RunObservation seen, AgentRunStatus status, boolean resume, String why) {
    if (resume) {
      statuses.waiting(status, why, seen.generation());
      return new RunDecision(status, List.of(), RETRY_SOON);
    }
    RunDecision waiting = awaitSandbox(seen, status, why);
    return waiting.withRecheck(shorter(waiting.recheck(), RETRY_SOON));
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
  private RunDecision end(
      RunObservation seen, AgentRunStatus status, AgentRunPhase phase, String reason, String why) {
    statuses.ended(status, phase, reason, why, seen.generation());
    return new RunDecision(
        status,
        List.of(
            new ForgetRun(),
            new RecordMilestone(Milestone.valueOf(phase.name()), status.getMessage()),
            new FreeSession(status.getSession())),
        ttlRemaining(seen.run(), status));
  }

  /** Time left before a finished run should be deleted; null when it is kept. */
  Duration ttlRemaining(AgentRun run, AgentRunStatus status) {
    Long ttl = run.getSpec().ttlSecondsAfterFinished();
    if (ttl == null || status.getCompletionTime() == null) {
      return null;
    }
    Instant deleteAt = Instant.parse(status.getCompletionTime()).plusSeconds(ttl);
    Duration left = Duration.between(clock.instant(), deleteAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Time left before the operator's timeout backstop; the queue recheck before the start. */
  private Duration untilDeadline(AgentRun run, AgentRunStatus status) {
    if (status.getStartTime() == null) {
      return settings.queueRecheck();
    }
    Instant deadline =
        Instant.parse(status.getStartTime()).plus(timeoutOf(run)).plus(settings.timeoutGrace());
    return Duration.between(clock.instant(), deadline);
  }

  /** The run's limits.timeout, one hour when it has none. */
  static Duration timeoutOf(AgentRun run) {
    var limits = run.getSpec().limits();
    return limits == null || limits.timeout() == null
        ? DEFAULT_TIMEOUT
        : Durations.parse(limits.timeout());
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

  private static Duration shorter(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    Duration min = a.compareTo(b) <= 0 ? a : b;
    return min.isNegative() ? Duration.ZERO : min;
  }
}
