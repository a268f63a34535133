package dev.agentoperator.contract.runner;

/**
 * Where a run is ({@code Phase} in the runner API); the last four are final. The names are the wire
 * values and match {@code AgentRun.status.phase}.
 */
public enum RunPhase {
  Running,
  AwaitingApproval,
  AwaitingInput,
  Succeeded,
  Failed,
  Cancelled,
  TimedOut;

  /** True for the phases a run never leaves. */
  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Cancelled || this == TimedOut;
  }

  /**
   * True when {@code wire} names a final phase; false for null and for names this version does not
   * know (a newer runner's phase is treated as still going).
   */
  public static boolean isFinal(String wire) {
    if (wire == null) {
      return false;
    }
    for (RunPhase phase : values()) {
      if (phase.name().equals(wire)) {
        return phase.isFinal();
      }
    }
    return false;
  }
}
