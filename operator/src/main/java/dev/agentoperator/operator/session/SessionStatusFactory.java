package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.api.v1alpha1.SnapshotStatus;
import dev.agentoperator.operator.status.ConditionStatus;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.status.GitOpsConditions;
import dev.agentoperator.operator.status.GitOpsConditions.Progress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** Builds an AgentSession's status from what was observed and what the pod plan did. */
public final class SessionStatusFactory {

  public static final String READY = "Ready";
  public static final String WORKSPACE_READY = "WorkspaceReady";
  public static final String POD_READY = "PodReady";
  public static final String ACCEPTED = "Accepted";
  public static final String INVALID_SPEC = "InvalidSpec";

  private final Conditions conditions;

  public SessionStatusFactory(Conditions conditions) {
    this.conditions = conditions;
  }

  /** The status after this reconcile; equal to the current one when nothing changed. */
  public AgentSessionStatus build(
      AgentSession session,
      PersistentVolumeClaim claim,
      boolean podExists,
      PodPlan plan,
      SessionRuns runs,
      Instant lastActivity) {
    return compose(
        session,
        claim,
        podExists,
        plan,
        runs,
        lastActivity,
        ConditionStatus.True,
        "Valid",
        "the spec passed validation");
  }

  /**
   * The status of a session whose spec cannot be acted on: Accepted, PodReady and Ready False with
   * reason InvalidSpec and {@code message} (what to change), Stalled True, phase Failed.
   */
  public AgentSessionStatus rejected(
      AgentSession session,
      PersistentVolumeClaim claim,
      boolean podExists,
      SessionRuns runs,
      Instant lastActivity,
      String message) {
    PodPlan plan = rejectedPlan(message);
    return compose(
        session,
        claim,
        podExists,
        plan,
        runs,
        lastActivity,
        ConditionStatus.False,
        INVALID_SPEC,
        message);
  }

  /** What a session whose spec cannot be acted on reports: nothing done, phase Failed. */
  public static PodPlan rejectedPlan(String message) {
    return PodPlan.of(PodPlan.Action.NONE, INVALID_SPEC, message, AgentSessionPhase.Failed);
  }

  private AgentSessionStatus compose(
      AgentSession session,
      PersistentVolumeClaim claim,
      boolean podExists,
      PodPlan plan,
      SessionRuns runs,
      Instant lastActivity,
      ConditionStatus accepted,
      String acceptedReason,
      String acceptedMessage) {
    AgentSessionStatus previous =
        Optional.ofNullable(session.getStatus()).orElseGet(AgentSessionStatus::new);
    Long generation = session.getMetadata().getGeneration();
    String name = session.getMetadata().getName();

    List<Condition> list =
        conditions.set(
            previous.getConditions(),
            ACCEPTED,
            accepted,
            acceptedReason,
            acceptedMessage,
            generation);
    list = workspaceCondition(list, claim, plan.podReady(), generation);
    list =
        conditions.set(
            list, POD_READY, status(plan.podReady()), plan.reason(), plan.message(), generation);
    list =
        conditions.set(
            list,
            READY,
            status(plan.podReady()),
            plan.podReady() ? "SessionReady" : plan.reason(),
            plan.message(),
            generation);
    list =
        GitOpsConditions.set(
            conditions, list, progressOf(plan.phase()), plan.reason(), plan.message(), generation);

    return new AgentSessionStatus()
        .setObservedGeneration(generation)
        .setPhase(plan.phase())
        .setConditions(list)
        .setPodName(podExists ? SessionNames.pod(name) : null)
        .setWorkspaceClaim(SessionNames.workspaceClaim(name))
        .setActiveRun(runs.activeRun().orElse(null))
        .setQueuedRuns(runs.inLine())
        .setLastActivityTime(lastActivity.toString())
        .setSnapshot(latest(previous.getSnapshot(), runs.latestSnapshot()));
  }

  /**
   * True when {@code next} differs from {@code previous} only in what a run's progress moves
   * (last activity, latest snapshot) while a run is active: that run's end writes both, so a write
   * per run event is saved. The idle timeout does not read them from status while a run is active.
   */
  public static boolean onlyRunProgressChanged(
      AgentSessionStatus previous, AgentSessionStatus next) {
    return previous != null
        && next.getActiveRun() != null
        && Objects.equals(previous.getObservedGeneration(), next.getObservedGeneration())
        && previous.getPhase() == next.getPhase()
        && Objects.equals(previous.getConditions(), next.getConditions())
        && Objects.equals(previous.getPodName(), next.getPodName())
        && Objects.equals(previous.getWorkspaceClaim(), next.getWorkspaceClaim())
        && Objects.equals(previous.getActiveRun(), next.getActiveRun())
        && Objects.equals(previous.getQueuedRuns(), next.getQueuedRuns());
  }

  /** Pending and Terminating sessions are still converging; a Failed one needs a person. */
  private static Progress progressOf(AgentSessionPhase phase) {
    return switch (phase) {
      case Pending, Terminating -> Progress.IN_PROGRESS;
      case Failed -> Progress.STALLED;
      case Ready, Idle -> Progress.DONE;
    };
  }

  /** The session's last activity: the latest of what status recorded, the runs and creation. */
  public static Instant lastActivity(AgentSession session, SessionRuns runs) {
    Optional<Instant> recorded =
        Optional.ofNullable(session.getStatus())
            .map(AgentSessionStatus::getLastActivityTime)
            .map(Instant::parse);
    Optional<Instant> created =
        Optional.ofNullable(session.getMetadata().getCreationTimestamp()).map(Instant::parse);
    return Stream.of(recorded, runs.lastActivity(), created)
        .flatMap(Optional::stream)
        .max(Comparator.naturalOrder())
        .orElse(Instant.EPOCH);
  }

  private List<Condition> workspaceCondition(
      List<Condition> list, PersistentVolumeClaim claim, boolean podReady, Long generation) {
    String claimPhase =
        claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if ("Bound".equals(claimPhase)) {
      return conditions.set(
          list,
          WORKSPACE_READY,
          ConditionStatus.True,
          "ClaimBound",
          "the workspace claim is bound",
          generation);
    }
    if (podReady) {
      return conditions.set(
          list,
          WORKSPACE_READY,
          ConditionStatus.True,
          "ClaimMounted",
          "the workspace claim is mounted by the ready pod",
          generation);
    }
    if ("Lost".equals(claimPhase)) {
      return conditions.set(
          list,
          WORKSPACE_READY,
          ConditionStatus.False,
          "ClaimLost",
          "the workspace claim lost its volume; the workspace must be restored",
          generation);
    }
    return conditions.set(
        list,
        WORKSPACE_READY,
        ConditionStatus.False,
        "ClaimPending",
        "waiting for the workspace claim to bind (a WaitForFirstConsumer class binds once the"
            + " pod is scheduled)",
        generation);
  }

  private static SnapshotStatus latest(SnapshotStatus recorded, Optional<SnapshotStatus> fromRuns) {
    if (fromRuns.isEmpty()) {
      return recorded;
    }
    if (recorded == null || count(fromRuns.get()) >= count(recorded)) {
      return fromRuns.get();
    }
    return recorded;
  }

  private static int count(SnapshotStatus snapshot) {
    return snapshot.count() == null ? 0 : snapshot.count();
  }

  private static ConditionStatus status(boolean value) {
    return value ? ConditionStatus.True : ConditionStatus.False;
  }
}
