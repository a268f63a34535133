package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.policy.PolicyDecision;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tool calls of one model answer, in order: the schema check, the run's tool policy
 * (deny by default), a person's approval where the policy says ask, then execution where the tool
 * belongs (a sandbox tool through the sandbox's executor, see {@link RegistryToolBox}). Every call
 * ends as a tool result for the model, also when it was rejected, denied or failed; only a stop or
 * a limit ends the step early.
 */
final class ToolStep {

  private static final Logger LOG = LoggerFactory.getLogger(ToolStep.class);
  private static final int SUMMARY_CHARS = 200;

  /**
   * Starts the result of a call that ran again on resume because the previous runner process
   * stopped inside it: the model (and whoever reads the transcript) must know that an earlier
   * attempt may have had effects.
   */
  static final String RETRIED_NOTE =
      "[This call ran again after the runner restarted; an earlier attempt was interrupted and may"
          + " have run partly or fully.]\n";

  private final LoopConfig config;
  private final ToolCallPolicy policy;
  private final RunState state;
  private final RunControl control;
  private final LoopEvents events;
  private final HumanInput people;

  // The call running now: the question tool asks under its position.
  private volatile PendingCall current;

  ToolStep(
      LoopConfig config,
      ToolCallPolicy policy,
      RunState state,
      RunControl control,
      LoopEvents events,
      HumanInput people) {
    this.config = config;
    this.policy = policy;
    this.state = state;
    this.control = control;
    this.events = events;
    this.people = people;
  }

  /** Runs {@code calls} and records their results; true when one of them may have changed files. */
  boolean run(List<PendingCall> calls) throws InterruptedException, LimitExceeded {
    boolean mayHaveChangedFiles = false;
    for (PendingCall pending : calls) {
      control.checkBeforeToolCall(state.toolCalls());
      state.countToolCall();
      Outcome outcome = handle(pending);
      mayHaveChangedFiles |=
          outcome.executed() && config.tools().mayChangeFiles(pending.call().name());
      String text = forModel(outcome.result());
      state.append(
          ChatMessage.toolResult(
              pending.call().id(), pending.retried() ? RETRIED_NOTE + text : text));
    }
    return mayHaveChangedFiles;
  }

  /** What a tool call may touch and where it records events and asks questions. */
  ToolContext context() {
    return new ToolContext(
        config.workspace(),
        state.files().dir(),
        config.secretEnvNames(),
        (type, data) -> events.fromTool(state.steps(), type, data),
        (question, choices) -> people.answer(current, question, choices));
  }

  private Outcome handle(PendingCall pending) throws InterruptedException {
    ToolCall call = pending.call();
    current = pending;
    CheckedCall checked = config.tools().prepare(call.name(), call.arguments());
    Optional<ToolResult> rejection = checked.rejection();
    if (rejection.isPresent()) {
      events.toolRejected(state.steps(), call, checked.mainArgument(), rejection.get());
      return new Outcome(rejection.get(), false);
    }
    PolicyDecision decision = policy.decide(checked.toolName(), checked.mainArgument());
    switch (decision.verdict()) {
      case DENY -> {
        events.toolBlocked(state.steps(), call, checked.mainArgument(), decision);
        return new Outcome(
            ToolResult.error("The tool policy does not allow this call: " + decision.explanation()),
            false);
      }
      case ASK -> {
        String summary =
            checked.toolName() + ": " + oneLine(checked.approvalSummary(context()), SUMMARY_CHARS);
        ApprovalGate.Decision answer = people.approve(pending, checked, summary);
        if (!answer.approved()) {
          String reason =
              answer.reason() == null || answer.reason().isBlank()
                  ? ""
                  : " Reason: " + answer.reason();
          return new Outcome(ToolResult.error("A person denied this call." + reason), false);
        }
      }
      case ALLOW -> {
        // runs below
      }
    }
    return new Outcome(execute(pending, checked), true);
  }

  private ToolResult execute(PendingCall pending, CheckedCall checked)
      throws InterruptedException {
    ToolCall call = pending.call();
    events.toolCalled(state.steps(), call, checked.mainArgument(), pending.retried());
    long started = System.nanoTime();
    ToolResult result;
    try {
      result = checked.execute(context());
    } catch (RuntimeException e) {
      LOG.warn("tool {} failed", call.name(), e);
      result = ToolResult.error("The tool failed: " + e.getMessage());
    }
    // A tool that returned while the run was being stopped: the stop wins, the result is dropped
    // (a suspended run runs the call again on resume).
    control.checkStop();
    long millis = (System.nanoTime() - started) / 1_000_000;
    events.toolResult(state.steps(), call, checked.mainArgument(), result, millis);
    return result;
  }

  /** Redacted, and marked as an error where the tool did not say so itself. */
  private String forModel(ToolResult result) {
    String content = config.redactor().redact(result.content() == null ? "" : result.content());
    if (result.error() && !content.regionMatches(true, 0, "error", 0, 5)) {
      return "Error: " + content;
    }
    return content;
  }

  private static String oneLine(String text, int max) {
    String line = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max) + "...";
  }

  /** A call's result, and whether the tool actually ran (only then may files have changed). */
  private record Outcome(ToolResult result, boolean executed) {}
}
