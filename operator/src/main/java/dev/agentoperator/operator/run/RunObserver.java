package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.run.RunObservation.PodState;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEndpoint;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.runnerclient.RunnerReply;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Takes the snapshot a decision is made on: the run, its session and pod from the caches, its
 * place in the queue, what the operator remembers, and, for a run in a serving pod, the runner's
 * summary and the events received since the last look. Following the runner's event stream is part
 * of looking: the stream is how progress reaches the operator.
 */
final class RunObserver {

  private final RunnerClient runner;
  private final RunnerEventSource events;
  private final SessionSandboxes sandboxes;
  private final RunMemories memories;
  private final Function<AgentRun, Pod> podOf;
  private final BiFunction<String, String, List<AgentRun>> runsOf;

  /**
   * @param podOf the session's sandbox pod of a run, from the cache, or null
   * @param runsOf every run of (namespace, session), from the cache
   */
  RunObserver(
      RunnerClient runner,
      RunnerEventSource events,
      SessionSandboxes sandboxes,
      RunMemories memories,
      Function<AgentRun, Pod> podOf,
      BiFunction<String, String, List<AgentRun>> runsOf) {
    this.runner = runner;
    this.events = events;
    this.sandboxes = sandboxes;
    this.memories = memories;
    this.podOf = podOf;
    this.runsOf = runsOf;
  }

  RunObservation observe(RunLifecycle.Step step) {
    AgentRun run = step.run();
    AgentRunStatus status = step.status();
    RunMemory.Snapshot memory = memories.of(step.id()).snapshot();
    Pod pod = podOf.apply(run);
    PodState podState = PodState.of(pod, status.getPodName(), memory.podUid());
    boolean holds = status.getPhase() != null && status.getPhase().isActive();
    RunObservation.Queue queue = holds ? null : queueOf(run);
    RunnerReply<RunSummary> summary = null;
    List<RunEvent> fresh = List.of();
    boolean asksRunner =
        holds
            && !Boolean.TRUE.equals(run.getSpec().cancel())
            && status.getPodName() != null
            && podState == PodState.READY;
    // a run that may be sent now: first in line in a serving pod, or an active run to resume
    boolean mayDispatch =
        podState == PodState.READY
            && !Boolean.TRUE.equals(run.getSpec().cancel())
            && (holds
                ? status.getPodName() == null
                : queue.holder() == null && queue.position() <= 1);
    Optional<AgentSession> dispatchSession =
        mayDispatch ? sandboxes.sessionOf(step.client(), run, step.session()) : Optional.empty();
    Optional<RunnerEndpoint> endpoint =
        asksRunner || mayDispatch
            ? sandboxes.endpoint(
                step.client(), holds ? status.getSession() : RunQueue.sessionOf(run), pod)
            : Optional.empty();
    if (asksRunner && endpoint.isPresent()) {
      String uid = run.getMetadata().getUid();
      events.watch(step.id(), uid, endpoint.get(), 0);
      summary = runner.summary(endpoint.get(), uid);
      if (summary.isSuccess()) {
        fresh = events.drain(step.id());
      }
    }
    return new RunObservation(
        run,
        status,
        step.session(),
        pod,
        podState,
        queue,
        summary,
        fresh,
        memory,
        dispatchSession,
        endpoint);
  }

  private RunObservation.Queue queueOf(AgentRun run) {
    String session = RunQueue.sessionOf(run);
    List<AgentRun> all = runsOf.apply(run.getMetadata().getNamespace(), session);
    String holder =
        RunQueue.holderOtherThan(all, session, run)
            .map(r -> r.getMetadata().getName())
            .orElse(null);
    return new RunObservation.Queue(holder, RunQueue.positionOf(all, run));
  }
}
