package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The decide step's answer: the next status, what to do, and when to look again.
 *
 * @param status the next status (a copy; the observed one is never edited)
 * @param actions what the act step performs, in order
 * @param recheck when the run wants to be reconciled again; null: only on an event
 */
record RunDecision(AgentRunStatus status, List<RunAction> actions, Duration recheck) {

  RunDecision {
    actions = List.copyOf(actions);
  }

  /** This decision with {@code first} performed before its own actions. */
  RunDecision after(List<RunAction> first) {
    List<RunAction> all = new ArrayList<>(first);
    all.addAll(actions);
    return new RunDecision(status, all, recheck);
  }

  RunDecision withRecheck(Duration later) {
    return new RunDecision(status, actions, later);
  }

  /** The Dispatch action, if this decision sends the run to the runner. */
  java.util.Optional<RunAction.Dispatch> dispatch() {
    return actions.stream()
        .filter(RunAction.Dispatch.class::isInstance)
        .map(RunAction.Dispatch.class::cast)
        .findFirst();
  }
}
