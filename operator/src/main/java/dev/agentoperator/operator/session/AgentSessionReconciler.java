package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.status.ReconcileErrors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each AgentSession's workspace claim, runner token, NetworkPolicy and sandbox pod in place:
 * observe, act, record status.
 */
@ControllerConfiguration(name = AgentSessionReconciler.NAME)
public class AgentSessionReconciler implements Reconciler<AgentSession> {

  /** The controller's name, as JOSDK metrics and logs show it. */
  public static final String NAME = "agentsession";

  private static final Logger LOG = LoggerFactory.getLogger(AgentSessionReconciler.class);
  private static final String OWNED =
      SessionMetadata.MANAGED_BY_LABEL + "=" + SessionMetadata.MANAGED_BY;

  private final OperatorConfig config;
  private final Clock clock;
  private final SecureRandom random;
  private final Conditions conditions;
  private final SessionStatusFactory statusFactory;
  private final PodRecreateBackoff backoff;

  /** Sessions whose pod's absence is accounted for: deleted on purpose or counted as failed. */
  private final Set<String> expectedAbsent = ConcurrentHashMap.newKeySet();

  private volatile InformerEventSource<Pod, AgentSession> pods;

  public AgentSessionReconciler(OperatorConfig config, Clock clock, SecureRandom random) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.conditions = new Conditions(clock);
    this.statusFactory = new SessionStatusFactory(conditions);
    this.backoff =
        new PodRecreateBackoff(config.podRecreateBackoff(), config.podRecreateBackoffMax());
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
    Instant now = clock.instant();
    KubernetesClient client = context.getClient();
    String key = ResourceID.fromResource(session).toString();

    // validate first: a spec the pod cannot be built from is reported, never acted on (and a pod
    // built from it by an older release is not looked up: JOSDK hashes secondaries into a Set, and
    // a Pod's hashCode throws on a quantity like "lots")
    PersistentVolumeClaim claim =
        context.getSecondaryResource(PersistentVolumeClaim.class).orElse(null);
    SessionRuns runs =
        SessionRuns.of(
            session.getMetadata().getName(), context.getSecondaryResources(AgentRun.class));
    Instant lastActivity = SessionStatusFactory.lastActivity(session, runs);
    List<String> problems = SessionValidator.problems(session.getSpec());
    if (!problems.isEmpty()) {
      boolean podExists =
          pods.get(
                  new ResourceID(
                      SessionNames.pod(session.getMetadata().getName()),
                      session.getMetadata().getNamespace()))
              .isPresent();
      return rejected(session, claim, podExists, runs, lastActivity, problems);
    }

    // observe
    Pod pod = context.getSecondaryResource(Pod.class).orElse(null);
    noteVanishedPod(session, pod, key, now);

    // act
    ensureWorkspaceClaim(client, session, claim);
    ensureTokenSecrets(client, session, context.getSecondaryResources(Secret.class));
    ensureNetworkPolicy(
        client, session, context.getSecondaryResource(NetworkPolicy.class).orElse(null));
    Pod desiredPod = SandboxPod.desired(session, config);
    PodPlan plan =
        SandboxPodPlanner.plan(
            session,
            pod,
            SandboxPod.specHashOf(desiredPod),
            runs,
            lastActivity,
            backoff.remaining(key, now),
            now);
    carryOut(client, session, pod, desiredPod, plan, key, now);

    // record status
    AgentSessionStatus status =
        statusFactory.build(
            session, claim, plan.podExistsAfter(pod != null), plan, runs, lastActivity);
    logOutcome(session, plan);
    UpdateControl<AgentSession> control;
    if (status.equals(session.getStatus())
        || SessionStatusFactory.onlyRunProgressChanged(session.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      session.setStatus(status);
      control = UpdateControl.patchStatus(session);
    }
    plan.requeueAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<AgentSession> updateErrorStatus(
      AgentSession session, Context<AgentSession> context, Exception e) {
    if (ReconcileErrors.isConflict(e)) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    AgentSessionStatus status =
        session.getStatus() == null ? new AgentSessionStatus() : session.getStatus();
    status.setConditions(
        ReconcileErrors.failed(
            conditions,
            status.getConditions(),
            SessionStatusFactory.READY,
            e,
            session.getMetadata().getGeneration()));
    session.setStatus(status);
    LOG.warn(
        "namespace={} name={} kind=AgentSession outcome=error reason={} message={}",
        session.getMetadata().getNamespace(),
        session.getMetadata().getName(),
        ReconcileErrors.reason(e),
        ReconcileErrors.message(e));
    LOG.debug("reconcile failure detail", e);
    return ReconcileErrors.patch(session, context);
  }

  private UpdateControl<AgentSession> rejected(
      AgentSession session,
      PersistentVolumeClaim claim,
      boolean podExists,
      SessionRuns runs,
      Instant lastActivity,
      List<String> problems) {
    AgentSessionStatus status =
        statusFactory.rejected(
            session, claim, podExists, runs, lastActivity, String.join("; ", problems));
    if (session.getStatus() == null || session.getStatus().getPhase() != status.getPhase()) {
      LOG.info(
          "namespace={} name={} kind=AgentSession phase={} reason=InvalidSpec message={}",
          session.getMetadata().getNamespace(),
          session.getMetadata().getName(),
          status.getPhase(),
          String.join("; ", problems));
    }
    if (status.equals(session.getStatus())) {
      return UpdateControl.noUpdate();
    }
    session.setStatus(status);
    return UpdateControl.patchStatus(session);
  }

  private void carryOut(
      KubernetesClient client,
      AgentSession session,
      Pod pod,
      Pod desiredPod,
      PodPlan plan,
      String key,
      Instant now) {
    switch (plan.action()) {
      case CREATE -> {
        Pod created = createIfAbsent(client, desiredPod);
        expectedAbsent.remove(key);
        if (created != null) {
          // so the next reconcile sees the pod even before the informer's watch event arrives
          pods.handleRecentResourceCreate(ResourceID.fromResource(created), created);
        }
      }
      case DELETE -> {
        expectedAbsent.add(key);
        client.resource(pod).delete();
      }
      case DELETE_FAILED -> {
        backoff.recordFailure(key, now);
        expectedAbsent.add(key);
        client.resource(pod).delete();
      }
      case NONE -> {
        if (plan.podReady()) {
          backoff.reset(key);
        }
      }
    }
  }

  /** The runner token Secret, and the gateway token Secret of a session that uses the gateway. */
  private void ensureTokenSecrets(
      KubernetesClient client, AgentSession session, Set<Secret> existing) {
    String name = session.getMetadata().getName();
    Set<String> names =
        existing.stream()
            .map(s -> s.getMetadata().getName())
            .collect(java.util.stream.Collectors.toSet());
    if (!names.contains(SessionNames.runnerTokenSecret(name))) {
      createIfAbsent(
          client, RunnerTokenSecret.desired(session, RunnerTokenSecret.newToken(random)));
    }
    if (GatewayTokenSecret.usesGateway(session, config)
        && !names.contains(SessionNames.gatewayTokenSecret(name))) {
      createIfAbsent(
          client, GatewayTokenSecret.desired(session, GatewayTokenSecret.newToken(session, random)));
    }
  }

  /**
   * A pod that status recorded and that vanished without this operator deleting it (a node drain,
   * someone's kubectl delete) counts as a failure, so recreations back off.
   */
  private void noteVanishedPod(AgentSession session, Pod pod, String key, Instant now) {
    if (pod == null
        && session.getStatus() != null
        && session.getStatus().getPodName() != null
        && expectedAbsent.add(key)) {
      backoff.recordFailure(key, now);
    }
  }

  /** Creates the claim, or asks for more storage when the session's size grew (never less). */
  private void ensureWorkspaceClaim(
      KubernetesClient client, AgentSession session, PersistentVolumeClaim existing) {
    PersistentVolumeClaim desired = WorkspaceClaim.desired(session, config);
    if (existing == null) {
      createIfAbsent(client, desired);
      return;
    }
    Quantity wanted = WorkspaceClaim.requestedStorage(desired);
    Quantity current = WorkspaceClaim.requestedStorage(existing);
    int comparison =
        current == null ? 1 : wanted.getNumericalAmount().compareTo(current.getNumericalAmount());
    if (comparison > 0) {
      client
          .persistentVolumeClaims()
          .inNamespace(existing.getMetadata().getNamespace())
          .withName(existing.getMetadata().getName())
          .edit(c -> WorkspaceClaim.withRequestedStorage(c, wanted));
    } else if (comparison < 0) {
      LOG.warn(
          "namespace={} name={} kind=AgentSession workspace.size {} is below the claim's {}; a"
              + " claim cannot shrink, it keeps its size",
          session.getMetadata().getNamespace(),
          session.getMetadata().getName(),
          wanted,
          current);
    }
  }

  private void ensureNetworkPolicy(
      KubernetesClient client, AgentSession session, NetworkPolicy existing) {
    NetworkPolicy desired = SandboxNetworkPolicy.desired(session, config);
    if (existing == null) {
      createIfAbsent(client, desired);
    } else if (!Objects.equals(existing.getSpec(), desired.getSpec())
        || !Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.resource(desired).update();
    }
  }

  /**
   * Creates {@code resource} and returns the stored object; one that already exists (the cache
   * lagged) is kept as it is and null returned.
   */
  private static <T extends HasMetadata> T createIfAbsent(KubernetesClient client, T resource) {
    try {
      return client.resource(resource).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
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

  private void logOutcome(AgentSession session, PodPlan plan) {
    boolean changed =
        plan.action() != PodPlan.Action.NONE
            || session.getStatus() == null
            || session.getStatus().getPhase() != plan.phase();
    if (changed) {
      LOG.info(
          "namespace={} name={} kind=AgentSession phase={} pod={} reason={}",
          session.getMetadata().getNamespace(),
          session.getMetadata().getName(),
          plan.phase(),
          plan.action(),
          plan.reason());
    }
  }

}
