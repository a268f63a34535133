package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.runnerclient.RunnerReply;
import java.util.List;

/** What came of a {@link RunAction.Dispatch}; the decide step turns it into the next status. */
sealed interface DispatchResult {

  /** The session could not be read: a run is sent only with its session's tool policy. */
  record SessionUnreadable() implements DispatchResult {}

  /** The session's runner token Secret could not be read. */
  record NoToken() implements DispatchResult {}

  /** The runner answered; {@code events} are those received right after a start. */
  record Replied(RunnerReply<RunSummary> reply, List<RunEvent> events) implements DispatchResult {}
}
