package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One turn of an accepted, unfinished run: observe ({@link RunObserver}), decide ({@link
 * RunDecider}, pure), act ({@link RunActor}), and, when the run was sent to the runner, decide and
 * act once more on the runner's answer; the status comes from {@link RunStatusFactory}.
 */
final class RunLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

  private final RunObserver observer;
  private final RunDecider decider;
  private final RunActor actor;
  private final RunStatusFactory statuses;
  private final RunMemories memories;

  RunLifecycle(
      RunObserver observer,
      RunDecider decider,
      RunActor actor,
      RunStatusFactory statuses,
      RunMemories memories) {
    this.observer = observer;
    this.decider = decider;
    this.actor = actor;
    this.statuses = statuses;
    this.memories = memories;
  }

  /** The lifecycle with its observe, decide and act steps sharing one memory per run. */
  static RunLifecycle create(
      RunnerClient runner,
      RunnerEventSource events,
      SessionSandboxes sandboxes,
      RunStatusFactory statuses,
      RunSettings settings,
      Clock clock,
      Function<AgentRun, Pod> podOf,
      BiFunction<String, String, List<AgentRun>> runsOf) {
    RunMemories memories = new RunMemories(events);
    return new RunLifecycle(
        new RunObserver(runner, events, sandboxes, memories, podOf, runsOf),
        new RunDecider(statuses, settings, clock),
        new RunActor(runner, events, sandboxes, memories, statuses),
        statuses,
        memories);
  }

  /** Everything one turn needs: the run and its status as read, and where to report. */
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
  }

  /**
   * The run's next status and when to look again (null: only on an event).
   *
   * @param status the status to record
   * @param recheck when the run wants to be reconciled again
   */
  record Next(AgentRunStatus status, Duration recheck) {}

  /** Observes, decides, acts; the status to record. */
  Next advance(Step step) {
    RunObservation seen = observer.observe(step);
    RunDecision decision = decider.decide(seen);
    RunActor.Result result = actor.perform(step, seen, decision);
    if (result.dispatched().isPresent()) {
      decision = decider.dispatched(seen, decision, result.dispatched().get());
      result = actor.perform(step, seen, decision);
    }
    AgentRunStatus status = decision.status();
    if (result.resolved() != null) {
      statuses.withResolved(status, result.resolved());
    }
    log(step, step.status(), status);
    return new Next(status, decision.recheck());
  }

  /** Best-effort cancel in the runner of a run being deleted. */
  void cancelInRunner(Step step, Pod pod) {
    actor.cancelInRunner(step, pod, step.status().getSession());
  }

  /** Drops what is remembered about a run. */
  void forget(ResourceID id) {
    memories.forget(id);
  }

  /** Time left before a finished run should be deleted; null when it is kept. */
  Duration ttlRemaining(AgentRun run, AgentRunStatus status) {
    return decider.deadlines().untilDeleted(run, status);
  }

  /** One line when the run was dispatched, lost its pod or ended. */
  private static void log(Step step, AgentRunStatus before, AgentRunStatus after) {
    String name = step.run().getMetadata().getName();
    AgentRunPhase phase = after.getPhase();
    boolean wasTerminal = before.getPhase() != null && before.getPhase().isTerminal();
    if (phase != null && phase.isTerminal() && !wasTerminal) {
      LOG.info(
          "run ended: namespace={} name={} phase={} reason={}",
          step.namespace(),
          name,
          phase,
          Conditions.find(after.getConditions(), RunConditions.SUCCEEDED)
              .map(c -> c.getReason())
              .orElse(null));
    } else if (after.getPodName() != null
        && !Objects.equals(before.getAttempts(), after.getAttempts())) {
      LOG.info(
          "run dispatched: namespace={} name={} run={} pod={} attempt={}",
          step.namespace(),
          name,
          step.run().getMetadata().getUid(),
          after.getPodName(),
          after.getAttempts());
    } else if (before.getPodName() != null && after.getPodName() == null) {
      LOG.info(
          "run lost its pod: namespace={} name={} attempts={}",
          step.namespace(),
          name,
          after.getAttempts());
    }
  }
}
