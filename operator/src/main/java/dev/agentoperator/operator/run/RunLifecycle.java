package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.Answer;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.PullRequestStatus;
import dev.agentoperator.operator.api.v1alpha1.PushStatus;
import dev.agentoperator.operator.api.v1alpha1.ResolvedApproval;
import dev.agentoperator.operator.config.Durations;
import dev.agentoperator.operator.run.MilestoneEvents.Milestone;
import dev.agentoperator.operator.runner.RunnerClient;
import dev.agentoperator.operator.runner.RunnerEndpoint;
import dev.agentoperator.operator.runner.RunnerEventSource;
import dev.agentoperator.operator.runner.RunnerReply;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transitions of a run once it is accepted: queue, dispatch, progress, approvals, cancel,
 * timeout backstop, pod loss and resume, and the end. Each method edits the status it is given and
 * answers when the run wants to be looked at again (null: only on an event).
 */
final class RunLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  private static final Duration RETRY_SOON = Duration.ofSeconds(2);

  private final RunnerClient runner;
  private final RunnerEventSource events;
  private final SessionSandboxes sandboxes;
  private final RunConditions conditions;
  private final RunSettings settings;
  private final Clock clock;

  /** The pod uid each active run was dispatched to; a different uid means the pod was replaced. */
  private final Map<ResourceID, String> dispatchedPods = new ConcurrentHashMap<>();

  /** Approval ids already forwarded, so each is sent once even before the runner's answer shows. */
  private final Map<ResourceID, Set<String>> forwarded = new ConcurrentHashMap<>();

  /**
   * Answers passed to the runner, kept until the run ends: a status write that fails (conflict)
   * must not lose the record of who decided, and the runner is not asked a second time.
   */
  private final Map<ResourceID, List<ResolvedApproval>> resolved = new ConcurrentHashMap<>();

  /** Step lines accumulated between status writes (the throttle may skip a write). */
  private final Map<ResourceID, List<dev.agentoperator.operator.api.v1alpha1.StepSummary>> steps =
      new ConcurrentHashMap<>();

  RunLifecycle(
      RunnerClient runner,
      RunnerEventSource events,
      SessionSandboxes sandboxes,
      RunConditions conditions,
      RunSettings settings,
      Clock clock) {
    this.runner = runner;
    this.events = events;
    this.sandboxes = sandboxes;
    this.conditions = conditions;
    this.settings = settings;
    this.clock = clock;
  }

  /** Everything one transition needs: the run as read, its next status, and where to report. */
  record Step(
      AgentRun run,
      AgentRunStatus status,
      KubernetesClient client,
      MilestoneEvents milestones,
      AgentSession session,
      Consumer<String> freeSession) {

    ResourceID id() {
      return ResourceID.fromResource(run);
    }

    String namespace() {
      return run.getMetadata().getNamespace();
    }

    Long generation() {
      return run.getMetadata().getGeneration();
    }
  }

  /** Puts the run in line with its 1-based position and the reason it waits. */
  Duration queue(Step step, int position, String why) {
    AgentRunStatus status = step.status();
    if (status.getPhase() != AgentRunPhase.Queued) {
      step.milestones().record(step.run(), Milestone.Queued, why);
    }
    status.setPhase(AgentRunPhase.Queued).setQueuePosition(position).setMessage(why);
    conditions.forPhase(status, AgentRunPhase.Queued, null, step.generation());
    return settings.queueRecheck();
  }

  /**
   * Queues a run that waits for its session's sandbox, at most its timeout from its creation (it
   * never started); then it fails with reason SandboxUnavailable and {@code why}.
   */
  Duration awaitSandbox(Step step, String why) {
    String created = step.run().getMetadata().getCreationTimestamp();
    if (created == null) {
      return queue(step, 1, why);
    }
    Duration timeout = timeoutOf(step.run());
    Duration left = Duration.between(clock.instant(), Instant.parse(created).plus(timeout));
    if (!left.isPositive()) {
      return end(
          step,
          AgentRunPhase.Failed,
          "SandboxUnavailable",
          "the session's sandbox was not ready within limits.timeout ("
              + timeout.toSeconds()
              + "s) of the run's creation; "
              + why);
    }
    return shorter(left, queue(step, 1, why));
  }

  /** Sends the run to the session's runner; {@code resume} after a lost pod. */
  Duration dispatch(Step step, Pod pod, boolean resume) {
    AgentRunStatus status = step.status();
    Optional<AgentSession> resolved =
        sandboxes.sessionOf(step.client(), step.run(), step.session());
    if (resolved.isEmpty()) {
      return waitForPod(
          step,
          resume,
          "waiting for AgentSession '"
              + RunQueue.sessionOf(step.run())
              + "' to be readable; a run is sent to the runner only with its session's tool"
              + " policy");
    }
    String session = status.getSession();
    Optional<RunnerEndpoint> endpoint = sandboxes.endpoint(step.client(), session, pod);
    if (endpoint.isEmpty()) {
      return waitForPod(step, resume, "waiting for the session's runner token Secret");
    }
    RunRequest request = RunRequests.build(step.run(), resolved.get().getSpec(), resume);
    String uid = step.run().getMetadata().getUid();
    RunnerReply<RunSummary> reply = runner.start(endpoint.get(), uid, request);
    switch (reply.outcome()) {
      case OK, CREATED -> {
        int attempts = status.getAttempts() == null ? 0 : status.getAttempts();
        if (reply.outcome() == RunnerReply.Outcome.CREATED || attempts == 0) {
          attempts++;
        }
        String podName = pod.getMetadata().getName();
        status
            .setPhase(AgentRunPhase.Running)
            .setQueuePosition(null)
            .setPodName(podName)
            .setAttempts(attempts)
            .setMessage(
                resume
                    ? "resumed on pod " + podName + " (attempt " + attempts + ")"
                    : "running on pod " + podName);
        if (status.getStartTime() == null) {
          status.setStartTime(now());
        }
        dispatchedPods.put(step.id(), pod.getMetadata().getUid());
        events.watch(step.id(), uid, endpoint.get(), 0);
        step.milestones()
            .record(
                step.run(), resume ? Milestone.Resumed : Milestone.Started, status.getMessage());
        LOG.info(
            "run dispatched: namespace={} name={} run={} pod={} attempt={}",
            step.namespace(),
            step.run().getMetadata().getName(),
            uid,
            podName,
            attempts);
        return progress(step, pod, reply.body());
      }
      case CONFLICT -> {
        return waitForPod(
            step, resume, "the session's runner is still busy with run " + reply.activeRun());
      }
      case UNAUTHORIZED -> {
        sandboxes.forgetToken(step.namespace(), session);
        return waitForPod(step, resume, "the runner refused the session's token; retrying");
      }
      case BAD_REQUEST -> {
        return end(
            step,
            AgentRunPhase.Failed,
            "RunnerRejected",
            "the runner refused the run: " + reply.error());
      }
      default -> {
        return waitForPod(step, resume, "the runner is not reachable yet: " + reply.error());
      }
    }
  }

  private Duration waitForPod(Step step, boolean resume, String why) {
    if (resume) {
      step.status().setMessage(why);
      conditions.forPhase(step.status(), step.status().getPhase(), null, step.generation());
      return RETRY_SOON;
    }
    return shorter(awaitSandbox(step, why), RETRY_SOON);
  }

  /**
   * The active run: cancel, timeout backstop, pod loss, then progress from the runner. {@code pod}
   * is the session's pod as cached, or null.
   */
  Duration active(Step step, Pod pod) {
    AgentRunStatus status = step.status();
    if (Boolean.TRUE.equals(step.run().getSpec().cancel())) {
      cancelInRunner(step, pod);
      return end(step, AgentRunPhase.Cancelled, "Cancelled", "cancelled by spec.cancel");
    }
    Duration untilDeadline = untilDeadline(step);
    if (untilDeadline.isNegative() || untilDeadline.isZero()) {
      cancelInRunner(step, pod);
      return end(
          step,
          AgentRunPhase.TimedOut,
          "TimedOut",
          "the run exceeded limits.timeout ("
              + timeoutOf(step.run()).toSeconds()
              + "s) and the runner did not end it; the operator stopped it");
    }
    if (status.getPodName() == null) {
      if (pod != null && SessionSandboxes.isReady(pod)) {
        return dispatch(step, pod, true);
      }
      return shorter(untilDeadline, settings.queueRecheck());
    }
    String dispatchedUid = dispatchedPods.get(step.id());
    if (pod == null
        || SessionSandboxes.isLost(pod)
        || !pod.getMetadata().getName().equals(status.getPodName())
        || (dispatchedUid != null && !dispatchedUid.equals(pod.getMetadata().getUid()))) {
      return lost(step, "the sandbox pod " + status.getPodName() + " was lost");
    }
    dispatchedPods.putIfAbsent(step.id(), pod.getMetadata().getUid());
    if (!SessionSandboxes.isReady(pod)) {
      return shorter(untilDeadline, RETRY_SOON);
    }
    Optional<RunnerEndpoint> endpoint = sandboxes.endpoint(step.client(), status.getSession(), pod);
    if (endpoint.isEmpty()) {
      return RETRY_SOON;
    }
    String uid = step.run().getMetadata().getUid();
    events.watch(step.id(), uid, endpoint.get(), 0);
    RunnerReply<RunSummary> reply = runner.summary(endpoint.get(), uid);
    return switch (reply.outcome()) {
      case OK, CREATED, ACCEPTED -> {
        if (reply.body().interrupted()) {
          // The runner restarted inside the same pod: nothing executes the run until it is
          // dispatched again with resume, which continues from its checkpoint.
          yield lost(step, "the runner in pod " + status.getPodName() + " restarted");
        }
        forwardApprovals(step, endpoint.get(), reply.body());
        forwardAnswers(step, endpoint.get(), reply.body());
        Duration recheck = progress(step, pod, reply.body());
        yield status.getPhase().isTerminal() ? recheck : shorter(untilDeadline, recheck);
      }
      case NOT_FOUND ->
          lost(step, "the runner in pod " + status.getPodName() + " does not know the run");
      case UNAUTHORIZED -> {
        sandboxes.forgetToken(step.namespace(), status.getSession());
        yield RETRY_SOON;
      }
      default -> shorter(untilDeadline, RETRY_SOON);
    };
  }

  /** Folds the runner's summary and new events into status; ends the run when the runner did. */
  private Duration progress(Step step, Pod pod, RunSummary summary) {
    AgentRunStatus status = step.status();
    List<RunEvent> fresh = events.drain(step.id());
    var recent =
        RunProgress.foldSteps(steps.getOrDefault(step.id(), status.getRecentSteps()), fresh);
    steps.put(step.id(), recent);
    status.setRecentSteps(recent);
    Set<String> pendingBefore =
        status.getPendingApprovals() == null
            ? Set.of()
            : Set.copyOf(status.getPendingApprovals().stream().map(p -> p.id()).toList());
    Set<String> questionsBefore =
        status.getPendingQuestions() == null
            ? Set.of()
            : Set.copyOf(status.getPendingQuestions().stream().map(q -> q.id()).toList());
    var pushBefore = status.getLastPush();
    var pullRequestBefore = status.getPullRequest();
    RunProgress.applySummary(status, summary);
    recordPublished(step, pushBefore, pullRequestBefore);
    AgentRunPhase phase = phaseOf(summary.phase());
    if (phase.isTerminal()) {
      String message =
          summary.message() != null ? summary.message() : "the run ended as " + phase.name();
      return end(step, phase, summary.reason(), message);
    }
    status.setPhase(phase);
    boolean newApproval =
        status.getPendingApprovals().stream().anyMatch(p -> !pendingBefore.contains(p.id()));
    if (newApproval) {
      var first = status.getPendingApprovals().getFirst();
      status.setMessage(
          "waiting for approval "
              + first.id()
              + " ("
              + first.tool()
              + ": "
              + first.summary()
              + "); answer it in spec.approvals");
      step.milestones().record(step.run(), Milestone.ApprovalRequired, status.getMessage());
    } else if (status.getPendingQuestions().stream()
        .anyMatch(q -> !questionsBefore.contains(q.id()))) {
      var first = status.getPendingQuestions().getFirst();
      status.setMessage(
          RunProgress.cut(
              "waiting for an answer to question "
                  + first.id()
                  + " (\""
                  + first.question()
                  + "\"); answer it with `kubectl agent answer` or in spec.answers",
              RunProgress.MESSAGE_LIMIT));
      step.milestones().record(step.run(), Milestone.InputRequired, status.getMessage());
    } else if (phase == AgentRunPhase.Running
        && status.getPendingApprovals().isEmpty()
        && status.getPendingQuestions().isEmpty()) {
      status.setMessage("running on pod " + pod.getMetadata().getName());
    }
    conditions.forPhase(status, phase, null, step.generation());
    return untilDeadline(step);
  }

  /** An Event for a push or pull request the runner reports for the first time. */
  private static void recordPublished(
      Step step, PushStatus pushBefore, PullRequestStatus pullRequestBefore) {
    AgentRunStatus status = step.status();
    if (status.getLastPush() != null && !status.getLastPush().equals(pushBefore)) {
      step.milestones()
          .record(step.run(), Milestone.Pushed, RunProgress.pushedMessage(status.getLastPush()));
    }
    if (status.getPullRequest() != null && !status.getPullRequest().equals(pullRequestBefore)) {
      step.milestones()
          .record(
              step.run(),
              Milestone.PullRequestOpened,
              RunProgress.pullRequestMessage(status.getPullRequest()));
    }
  }

  /**
   * Passes each answer in spec.approvals to the runner once, and records who gave it (status and
   * an Event). {@code by} is only reported here: who may answer is the admission policy's business.
   */
  private void forwardApprovals(Step step, RunnerEndpoint endpoint, RunSummary summary) {
    List<ResolvedApproval> earlier = resolved.get(step.id());
    if (earlier != null) {
      step.status().setResolvedApprovals(earlier);
    }
    List<Approval> answers = step.run().getSpec().approvals();
    if (answers == null || answers.isEmpty()) {
      return;
    }
    Map<String, RunSummary.PendingApproval> pending =
        summary.pendingApprovalsOrEmpty().stream()
            .collect(Collectors.toMap(p -> p.id(), Function.identity(), (a, b) -> a));
    Set<String> sent = forwarded.computeIfAbsent(step.id(), k -> ConcurrentHashMap.newKeySet());
    for (Approval answer : answers) {
      if (!pending.containsKey(answer.id()) || sent.contains(answer.id())) {
        continue;
      }
      RunnerReply<RunSummary> reply =
          runner.approve(
              endpoint,
              step.run().getMetadata().getUid(),
              answer.id(),
              answer.decision().name(),
              answer.reason());
      if (reply.isSuccess() || reply.outcome() == RunnerReply.Outcome.CONFLICT) {
        sent.add(answer.id());
      }
      if (reply.isSuccess()) {
        recordResolved(step, answer, pending.get(answer.id()));
      }
      LOG.info(
          "approval forwarded: namespace={} name={} approval={} decision={} by={} outcome={}",
          step.namespace(),
          step.run().getMetadata().getName(),
          answer.id(),
          answer.decision(),
          answer.by(),
          reply.outcome());
    }
  }

  /**
   * Passes each answer in spec.answers to a question the runner waits on, once. Only the operator
   * holds the runner's token, so an answer can only come from the AgentRun's spec.
   */
  private void forwardAnswers(Step step, RunnerEndpoint endpoint, RunSummary summary) {
    List<Answer> answers = step.run().getSpec().answers();
    if (answers == null || answers.isEmpty() || summary.pendingQuestionsOrEmpty().isEmpty()) {
      return;
    }
    Set<String> pending =
        summary.pendingQuestionsOrEmpty().stream().map(q -> q.id()).collect(Collectors.toSet());
    Set<String> sent = forwarded.computeIfAbsent(step.id(), k -> ConcurrentHashMap.newKeySet());
    for (Answer answer : answers) {
      // Question ids never collide with approval ids (question-* / approval-*): one sent set.
      if (!pending.contains(answer.id()) || sent.contains(answer.id())) {
        continue;
      }
      RunnerReply<RunSummary> reply =
          runner.answer(endpoint, step.run().getMetadata().getUid(), answer.id(), answer.answer());
      if (reply.isSuccess() || reply.outcome() == RunnerReply.Outcome.CONFLICT) {
        sent.add(answer.id());
      }
      LOG.info(
          "answer forwarded: namespace={} name={} question={} outcome={}",
          step.namespace(),
          step.run().getMetadata().getName(),
          answer.id(),
          reply.outcome());
    }
  }

  private void recordResolved(Step step, Approval answer, RunSummary.PendingApproval call) {
    ResolvedApproval entry =
        new ResolvedApproval(answer.id(), call.tool(), answer.decision(), answer.by(), now());
    List<ResolvedApproval> recent =
        RunProgress.addResolved(step.status().getResolvedApprovals(), entry);
    resolved.put(step.id(), recent);
    step.status().setResolvedApprovals(recent);
    step.milestones()
        .record(
            step.run(),
            Milestone.ApprovalResolved,
            RunProgress.resolvedMessage(entry, call.summary(), answer.reason()));
  }

  /** The pod went away mid-run: resume on the next pod, or fail after the attempt limit. */
  private Duration lost(Step step, String why) {
    AgentRunStatus status = step.status();
    events.unwatch(step.id());
    dispatchedPods.remove(step.id());
    int attempts = status.getAttempts() == null ? 1 : status.getAttempts();
    if (attempts >= settings.maxAttempts()) {
      return end(
          step,
          AgentRunPhase.Failed,
          "PodLost",
          why
              + "; the run was dispatched "
              + attempts
              + " times, the limit"
              + " (AGENT_OPERATOR_MAX_ATTEMPTS), so it fails");
    }
    status.setPodName(null).setMessage(why + "; the run resumes when the session's pod is back");
    conditions.forPhase(status, status.getPhase(), null, step.generation());
    LOG.info(
        "run lost its pod: namespace={} name={} attempts={}",
        step.namespace(),
        step.run().getMetadata().getName(),
        attempts);
    return settings.queueRecheck();
  }

  /** Ends the run: terminal phase, completion time, conditions, Event, and frees the session. */
  Duration end(Step step, AgentRunPhase phase, String reason, String message) {
    AgentRunStatus status = step.status();
    status
        .setPhase(phase)
        .setCompletionTime(now())
        .setQueuePosition(null)
        .setPendingApprovals(List.of())
        .setPendingQuestions(List.of())
        .setMessage(RunProgress.cut(message, RunProgress.MESSAGE_LIMIT));
    conditions.forPhase(status, phase, reason, step.generation());
    forget(step.id());
    step.milestones().record(step.run(), Milestone.valueOf(phase.name()), status.getMessage());
    step.freeSession().accept(status.getSession());
    LOG.info(
        "run ended: namespace={} name={} phase={} reason={}",
        step.namespace(),
        step.run().getMetadata().getName(),
        phase,
        reason);
    return ttlRemaining(step.run(), status);
  }

  /** Best-effort cancel in the runner, for spec.cancel, the timeout backstop and deletion. */
  void cancelInRunner(Step step, Pod pod) {
    if (pod == null || !SessionSandboxes.isReady(pod) || step.status().getSession() == null) {
      return;
    }
    sandboxes
        .endpoint(step.client(), step.status().getSession(), pod)
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

  /** Drops what is remembered about a run. */
  void forget(ResourceID id) {
    events.unwatch(id);
    dispatchedPods.remove(id);
    forwarded.remove(id);
    resolved.remove(id);
    steps.remove(id);
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

  private Duration untilDeadline(Step step) {
    if (step.status().getStartTime() == null) {
      return settings.queueRecheck();
    }
    Instant deadline =
        Instant.parse(step.status().getStartTime())
            .plus(timeoutOf(step.run()))
            .plus(settings.timeoutGrace());
    return Duration.between(clock.instant(), deadline);
  }

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

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
