package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.status.ReconcileErrors;
import dev.agentoperator.operator.status.StatusRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles an AgentRun: validate (Accepted), then observe, decide, act ({@link RunLifecycle}),
 * and record status (batched, bounded). A finalizer cancels an active run in the runner before the
 * run goes away.
 */
@ControllerConfiguration(name = "agentrun", finalizerName = AgentRunReconciler.FINALIZER)
public class AgentRunReconciler implements Reconciler<AgentRun>, Cleaner<AgentRun> {

  /** Held while a run may be active in a runner, so deleting it cancels it there first. */
  public static final String FINALIZER = "agentoperator.dev/cancel-in-runner";

  private static final Logger LOG = LoggerFactory.getLogger(AgentRunReconciler.class);
  private static final Duration REVALIDATE = Duration.ofSeconds(15);

  private final RunnerClient runner;
  private final RunSettings settings;
  private final Clock clock;
  private final RunStatusFactory statuses;
  private final StatusWriteThrottle throttle;
  private final StatusRecorder recorder = new StatusRecorder();
  private final RunMetrics metrics;
  private RunnerEventSource runnerEvents;
  private RunWatches watches;
  private RunLifecycle lifecycle;

  public AgentRunReconciler(RunnerClient runner, RunSettings settings, Clock clock) {
    this(runner, settings, clock, new RunMetrics(new SimpleMeterRegistry()));
  }

  public AgentRunReconciler(
      RunnerClient runner, RunSettings settings, Clock clock, RunMetrics metrics) {
    this.metrics = metrics;
    this.runner = runner;
    this.settings = settings;
    this.clock = clock;
    this.statuses = new RunStatusFactory(new RunConditions(new Conditions(clock)), clock);
    this.throttle = new StatusWriteThrottle(clock, settings.statusWriteInterval());
  }

  @Override
  public UpdateControl<AgentRun> reconcile(AgentRun run, Context<AgentRun> context) {
    AgentRun next =
        context
            .getControllerConfiguration()
            .getConfigurationService()
            .getResourceCloner()
            .clone(run);
    AgentRunStatus current = next.getStatus() == null ? new AgentRunStatus() : next.getStatus();
    AgentRunPhase phase = current.getPhase();
    List<String> freedSessions = new ArrayList<>();
    RunLifecycle.Next outcome;
    if (phase != null && phase.isTerminal()) {
      outcome = new RunLifecycle.Next(current, finished(run, current, context.getClient()));
    } else {
      RunLifecycle.Step step = step(run, current, context.getClient(), freedSessions::add);
      outcome = RunQueue.holdsSession(run) ? lifecycle.advance(step) : accept(step);
    }
    AgentRunStatus status = outcome.status();
    status.setObservedGeneration(run.getMetadata().getGeneration());
    next.setStatus(status);
    UpdateControl<AgentRun> control = record(run, next, outcome.recheck(), context);
    // only now, with the ended run's status written and cached, can the next run see a free session
    freedSessions.forEach(s -> freeSession(run.getMetadata().getNamespace(), s));
    if (status.getPhase() != null && status.getPhase().isTerminal() && phase != status.getPhase()) {
      metrics.ended(status);
    }
    return control;
  }

  /** Validate (Accepted); then the lifecycle queues or dispatches the run. */
  private RunLifecycle.Next accept(RunLifecycle.Step step) {
    AgentRun run = step.run();
    List<String> problems =
        new RunValidator(new ClusterReferences(step.client())).problems(run, step.session());
    if (run.getSpec().sessionTemplate() != null && problems.isEmpty()) {
      problems = EphemeralSession.nameTaken(step.run(), step.session());
    }
    if (!problems.isEmpty()) {
      AgentRunStatus status =
          statuses.rejected(
              RunStatusFactory.draft(step.status()),
              String.join("; ", problems),
              run.getMetadata().getGeneration());
      return new RunLifecycle.Next(status, REVALIDATE);
    }
    return lifecycle.advance(step);
  }

  /** A finished run: delete it (and its ephemeral session) once its TTL has passed. */
  private Duration finished(AgentRun run, AgentRunStatus status, KubernetesClient client) {
    lifecycle.forget(ResourceID.fromResource(run));
    Duration left = lifecycle.ttlRemaining(run, status);
    if (left != null && left.isZero()) {
      LOG.info(
          "run deleted after ttlSecondsAfterFinished: namespace={} name={}",
          run.getMetadata().getNamespace(),
          run.getMetadata().getName());
      client.resource(run).delete();
      return null;
    }
    return left;
  }

  /** Writes status when it changed: milestones at once, progress at most once per interval. */
  private UpdateControl<AgentRun> record(
      AgentRun run, AgentRun next, Duration recheck, Context<AgentRun> context) {
    ResourceID id = ResourceID.fromResource(run);
    AgentRunStatus before = run.getStatus();
    AgentRunStatus after = next.getStatus();
    boolean write = false;
    if (!after.equals(before)) {
      if (isMilestone(before, after) || throttle.waitBeforeWrite(id).isZero()) {
        write = true;
      } else {
        Duration wait = throttle.waitBeforeWrite(id);
        recheck = recheck == null || wait.compareTo(recheck) < 0 ? wait : recheck;
      }
    }
    if (write) {
      // the result is cached at once: runner events can trigger the next reconcile before the
      // informer has seen this write
      recorder.record(run, next, context);
      throttle.wrote(id);
    }
    UpdateControl<AgentRun> control = UpdateControl.noUpdate();
    LOG.debug(
        "reconciled: name={} phase={} write={} recheck={}",
        run.getMetadata().getName(),
        after.getPhase(),
        write,
        recheck);
    return recheck == null ? control : control.rescheduleAfter(recheck.plusMillis(10));
  }

  static boolean isMilestone(AgentRunStatus before, AgentRunStatus after) {
    if (before == null) {
      return true;
    }
    return before.getPhase() != after.getPhase()
        || !java.util.Objects.equals(before.getAttempts(), after.getAttempts())
        || !java.util.Objects.equals(before.getPodName(), after.getPodName())
        || !java.util.Objects.equals(before.getQueuePosition(), after.getQueuePosition())
        || !java.util.Objects.equals(before.getPendingApprovals(), after.getPendingApprovals())
        || !java.util.Objects.equals(before.getPendingQuestions(), after.getPendingQuestions())
        || !java.util.Objects.equals(before.getResolvedApprovals(), after.getResolvedApprovals())
        || !java.util.Objects.equals(before.getMessage(), after.getMessage())
        // a push or pull request is recorded as an Event when folded in; written at once, it is
        // not folded (and recorded) again from the unwritten status on the next runner event
        || !java.util.Objects.equals(before.getLastPush(), after.getLastPush())
        || !java.util.Objects.equals(before.getPullRequest(), after.getPullRequest())
        || !java.util.Objects.equals(before.getSession(), after.getSession());
  }

  @Override
  public DeleteControl cleanup(AgentRun run, Context<AgentRun> context) {
    AgentRunStatus status = run.getStatus() == null ? new AgentRunStatus() : run.getStatus();
    RunLifecycle.Step step = step(run, status, context.getClient(), s -> {});
    if (RunQueue.holdsSession(run)) {
      lifecycle.cancelInRunner(step, watches.podOf(run));
    }
    ResourceID id = ResourceID.fromResource(run);
    lifecycle.forget(id);
    throttle.forget(id);
    if (run.getSpec().sessionTemplate() != null
        && step.session() != null
        && EphemeralSession.belongsTo(step.session(), run)) {
      // Owner references garbage-collect it in a cluster; delete it here too so it goes at once.
      context.getClient().resource(step.session()).delete();
    }
    freeSession(run.getMetadata().getNamespace(), RunQueue.sessionOf(run));
    return DeleteControl.defaultDelete();
  }

  /**
   * An exception while reconciling becomes Ready=Unknown and Stalled=True on the run, with JOSDK's
   * retry and backoff; a conflict (someone wrote the run meanwhile) is only retried.
   */
  @Override
  public ErrorStatusUpdateControl<AgentRun> updateErrorStatus(
      AgentRun run, Context<AgentRun> context, Exception e) {
    ReconcileErrors.log(LOG, run, e);
    if (ReconcileErrors.isConflict(e)) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    return ReconcileErrors.record(run, withErrorStatus(run, e), context, recorder, LOG);
  }

  /** A copy of {@code run} whose conditions say that reconciling failed with {@code e}. */
  AgentRun withErrorStatus(AgentRun run, Exception e) {
    AgentRun failed = ReconcileErrors.copy(run);
    AgentRunStatus status = failed.getStatus() == null ? new AgentRunStatus() : failed.getStatus();
    status.setConditions(
        ReconcileErrors.failed(
            new Conditions(clock),
            status.getConditions(),
            RunConditions.READY,
            e,
            run.getMetadata().getGeneration()));
    failed.setStatus(status);
    return failed;
  }

  @Override
  public List<EventSource<?, AgentRun>> prepareEventSources(EventSourceContext<AgentRun> context) {
    watches = new RunWatches(context);
    runnerEvents = new RunnerEventSource(runner, settings.events());
    metrics.observe(() -> context.getPrimaryCache().list());
    lifecycle =
        RunLifecycle.create(
            runner,
            runnerEvents,
            new SessionSandboxes(watches::pod),
            statuses,
            settings,
            clock,
            watches::podOf,
            watches::runsOf);
    List<EventSource<?, AgentRun>> sources = new ArrayList<>(watches.sources());
    sources.add(runnerEvents);
    return sources;
  }

  /** Triggers the waiting runs of a session whose run just ended or went away. */
  private void freeSession(String namespace, String session) {
    if (session == null) {
      return;
    }
    RunQueue.waiting(watches.runsOf(namespace, session), session)
        .forEach(r -> runnerEvents.trigger(ResourceID.fromResource(r)));
  }

  private RunLifecycle.Step step(
      AgentRun run, AgentRunStatus status, KubernetesClient client, Consumer<String> freed) {
    return new RunLifecycle.Step(
        run, status, client, new MilestoneEvents(client, clock), watches.sessionOf(run), freed);
  }
}
