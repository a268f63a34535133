package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.status.ReconcileErrors;
import dev.agentoperator.operator.status.StatusRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each AgentSession's workspace claim, token Secrets, NetworkPolicy and sandbox pod in place,
 * in the run side's shape: observe ({@link SessionObserver}), decide ({@link SessionDecider},
 * pure), act ({@link SessionActor}), record status ({@link StatusRecorder}).
 */
@ControllerConfiguration(name = AgentSessionReconciler.NAME)
public class AgentSessionReconciler implements Reconciler<AgentSession> {

  /** The controller's name, as JOSDK metrics and logs show it. */
  public static final String NAME = "agentsession";

  private static final Logger LOG = LoggerFactory.getLogger(AgentSessionReconciler.class);
  private static final String OWNED =
      SessionMetadata.MANAGED_BY_LABEL + "=" + SessionMetadata.MANAGED_BY;

  private final Conditions conditions;
  private final SessionObserver observer;
  private final SessionDecider decider;
  private final SessionActor actor;
  private final StatusRecorder recorder = new StatusRecorder();

  private volatile InformerEventSource<Pod, AgentSession> pods;

  public AgentSessionReconciler(OperatorConfig config, Clock clock, SecureRandom random) {
    this(config, clock, random, new RunnerClient(config.runnerPort()));
  }

  /**
   * @param runner the client of the runners' HTTP API, asked why a running runner is not ready
   */
  public AgentSessionReconciler(
      OperatorConfig config, Clock clock, SecureRandom random, RunnerClient runner) {
    this.conditions = new Conditions(clock);
    PodRecreations recreations =
        new PodRecreations(
            new PodRecreateBackoff(config.podRecreateBackoff(), config.podRecreateBackoffMax()));
    this.observer = new SessionObserver(config, runner, clock, recreations, id -> pods.get(id));
    this.decider = new SessionDecider(config, new SessionStatusFactory(conditions));
    this.actor = new SessionActor(random, recreations);
  }

  @Override
  public List<EventSource<?, AgentSession>> prepareEventSources(
      EventSourceContext<AgentSession> context) {
    pods = new InformerEventSource<>(owned(Pod.class), context);
    var runs =
        InformerEventSourceConfiguration.from(AgentRun.class, AgentSession.class)
            .withSecondaryToPrimaryMapper(AgentSessionReconciler::sessionOfRun)
            .withItemStore(new TransformingItemStore<>(SessionRunView::of))
            .build();
    return List.of(
        pods,
        new InformerEventSource<>(owned(PersistentVolumeClaim.class), context),
        new InformerEventSource<>(owned(Secret.class), context),
        new InformerEventSource<>(owned(NetworkPolicy.class), context),
        new InformerEventSource<>(runs, context));
  }

  @Override
  public UpdateControl<AgentSession> reconcile(
      AgentSession session, Context<AgentSession> context) {
    SessionObservation seen = observer.observe(session, context);
    SessionDecision decision = decider.decide(seen);
    actor.perform(
        seen,
        decision,
        context.getClient(),
        created -> pods.handleRecentResourceCreate(ResourceID.fromResource(created), created));
    logOutcome(session, decision);
    record(session, decision.status(), context);
    UpdateControl<AgentSession> control = UpdateControl.noUpdate();
    decision.plan().requeueAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * Writes the status when it changed, except for what only a run's progress moves while a run is
   * active (that run's end writes it).
   */
  private void record(
      AgentSession session, AgentSessionStatus status, Context<AgentSession> context) {
    if (status.equals(session.getStatus())
        || SessionStatusFactory.onlyRunProgressChanged(session.getStatus(), status)) {
      return;
    }
    AgentSession next =
        context
            .getControllerConfiguration()
            .getConfigurationService()
            .getResourceCloner()
            .clone(session);
    next.setStatus(status);
    recorder.record(session, next, context);
  }

  /**
   * An exception while reconciling becomes Ready=Unknown and Stalled=True on the session, with
   * JOSDK's retry and backoff; a conflict (someone wrote the session meanwhile) is only retried.
   */
  @Override
  public ErrorStatusUpdateControl<AgentSession> updateErrorStatus(
      AgentSession session, Context<AgentSession> context, Exception e) {
    ReconcileErrors.log(LOG, session, e);
    if (ReconcileErrors.isConflict(e)) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    return ReconcileErrors.record(session, withErrorStatus(session, e), context, recorder, LOG);
  }

  /** A copy of {@code session} whose conditions say that reconciling failed with {@code e}. */
  AgentSession withErrorStatus(AgentSession session, Exception e) {
    AgentSession failed = ReconcileErrors.copy(session);
    AgentSessionStatus status =
        failed.getStatus() == null ? new AgentSessionStatus() : failed.getStatus();
    status.setConditions(
        ReconcileErrors.failed(
            conditions,
            status.getConditions(),
            SessionStatusFactory.READY,
            e,
            session.getMetadata().getGeneration()));
    failed.setStatus(status);
    return failed;
  }

  private static Set<ResourceID> sessionOfRun(AgentRun run) {
    String session = SessionRuns.sessionOf(run);
    var template = run.getSpec() == null ? null : run.getSpec().sessionTemplate();
    if (template != null && !SessionValidator.problems(template).isEmpty()) {
      // never a secondary of any session: its quantities would throw when JOSDK hashes it
      return Set.of();
    }
    return session == null
        ? Set.of()
        : Set.of(new ResourceID(session, run.getMetadata().getNamespace()));
  }

  private static <R extends HasMetadata> InformerEventSourceConfiguration<R> owned(Class<R> type) {
    return InformerEventSourceConfiguration.from(type, AgentSession.class)
        .withLabelSelector(OWNED)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AgentSession.class))
        .build();
  }

  /** One line when the pod is acted on or the phase changes. */
  private static void logOutcome(AgentSession session, SessionDecision decision) {
    PodPlan plan = decision.plan();
    boolean changed =
        plan.action() != PodPlan.Action.NONE
            || session.getStatus() == null
            || session.getStatus().getPhase() != decision.status().getPhase();
    if (changed) {
      LOG.info(
          "namespace={} name={} kind=AgentSession phase={} pod={} reason={} message={}",
          session.getMetadata().getNamespace(),
          session.getMetadata().getName(),
          decision.status().getPhase(),
          plan.action(),
          plan.reason(),
          plan.message());
    }
  }
}
