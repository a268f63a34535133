package dev.agentoperator.operator.runner;

import java.util.Set;

/** The run phases the runner reports (the {@code Phase} schema of the runner API). */
public final class RunnerPhase {

  public static final String RUNNING = "Running";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  public static final String AWAITING_INPUT = "AwaitingInput";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String CANCELLED = "Cancelled";
  public static final String TIMED_OUT = "TimedOut";

  private static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);

  private RunnerPhase() {}

  /** True for the phases a run never leaves. */
  public static boolean isTerminal(String phase) {
    return phase != null && TERMINAL.contains(phase);
  }
}
