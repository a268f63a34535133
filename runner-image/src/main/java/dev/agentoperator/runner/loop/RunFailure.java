package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.llm.BudgetExceeded;
import dev.agentoperator.runner.llm.ModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an exception that escaped a turn ends the run. A model call or tool broken by a stop is the
 * stop (cancel, timeout, suspension), not a failure; the two budget failures are final whatever
 * else happened. Messages are redacted: they reach status, events and logs.
 */
final class RunFailure {

  private static final Logger LOG = LoggerFactory.getLogger(RunFailure.class);

  private RunFailure() {}

  static StopReason stopReason(
      RuntimeException e, RunControl control, Redactor redactor, String runUid) {
    return switch (e) {
      case ContextCompactor.BudgetTooSmall small ->
          StopReason.failed("ContextBudgetTooSmall", small.getMessage());
      case BudgetExceeded budget ->
          StopReason.failed("MaxTokensExceeded", redactor.redact(budget.getMessage()));
      case RuntimeException stopped when control.stopRequested() -> control.stopReason();
      case ModelException model ->
          StopReason.failed("ModelError", redactor.redact(model.getMessage()));
      default -> {
        LOG.error("run {} failed", runUid, e);
        yield StopReason.failed(
            "RunnerError",
            "the runner failed: " + redactor.redact(String.valueOf(e.getMessage())));
      }
    };
  }
}
