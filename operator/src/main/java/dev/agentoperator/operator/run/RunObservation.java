package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.runnerclient.RunnerEndpoint;
import dev.agentoperator.operator.runnerclient.RunnerReply;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile of an accepted, unfinished run saw; the decide step reads nothing else.
 *
 * @param run the run as read
 * @param status its status as read (never edited: the decision builds its own)
 * @param session the session from the informer cache, or null
 * @param pod the session's sandbox pod from the cache, or null
 * @param podState what the pod means for this run
 * @param queue the run's place in its session's queue; null while the run holds the session
 * @param summary the runner's answer to {@code GET /v1/runs/{uid}}; null when it was not asked
 *     (the run does not hold the session, its pod does not serve, it is being cancelled, or the
 *     runner token cannot be read)
 * @param events runner events received since the last reconcile (with a successful summary only)
 * @param memory what earlier reconciles remembered
 * @param dispatchSession the session to send the run with (its tool policy), looked up only when
 *     the run may be sent now, from the API when a just-created session is not cached yet; empty
 *     when it cannot be read or is not the run's
 * @param endpoint the runner endpoint of the serving pod, when the run may talk to the runner and
 *     the session's runner token could be read
 */
record RunObservation(
    AgentRun run,
    AgentRunStatus status,
    AgentSession session,
    Pod pod,
    PodState podState,
    Queue queue,
    RunnerReply<RunSummary> summary,
    List<RunEvent> events,
    RunMemory.Snapshot memory,
    Optional<AgentSession> dispatchSession,
    Optional<RunnerEndpoint> endpoint) {

  /** True while the run occupies its session's runner. */
  boolean holdsSession() {
    return status.getPhase() != null && status.getPhase().isActive();
  }

  boolean cancelRequested() {
    return Boolean.TRUE.equals(run.getSpec().cancel());
  }

  Long generation() {
    return run.getMetadata().getGeneration();
  }

  /**
   * A waiting run's place in line.
   *
   * @param holder the name of the run that holds the session, or null
   * @param position 1-based position among the session's waiting runs
   */
  record Queue(String holder, int position) {}

  /** The session's sandbox pod, as it matters to the run. */
  enum PodState {
    /** No pod in the cache. */
    ABSENT,
    /** Being deleted, or Failed or Succeeded: it will not serve again. */
    LOST,
    /** Not the pod the run was dispatched to (another name or uid). */
    REPLACED,
    /** Exists but does not serve yet. */
    NOT_READY,
    /** Serves the runner API. */
    READY;

    /**
     * Classifies {@code pod} for a run dispatched to {@code podName} (null: not dispatched) whose
     * pod had uid {@code dispatchedUid} (null: not known, e.g. after an operator restart).
     */
    static PodState of(Pod pod, String podName, String dispatchedUid) {
      if (pod == null) {
        return ABSENT;
      }
      if (SessionSandboxes.isLost(pod)) {
        return LOST;
      }
      if (podName != null
          && (!pod.getMetadata().getName().equals(podName)
              || (dispatchedUid != null && !dispatchedUid.equals(pod.getMetadata().getUid())))) {
        return REPLACED;
      }
      return SessionSandboxes.isReady(pod) ? READY : NOT_READY;
    }

    /** True when the run cannot continue in this pod. */
    boolean isGone() {
      return this == ABSENT || this == LOST || this == REPLACED;
    }
  }
}
