package dev.agentoperator.runner.loop;

/** Where a run is; the last four are final. Names match {@code AgentRun.status.phase}. */
public enum RunPhase {
  Running,
  AwaitingApproval,
  AwaitingInput,
  Succeeded,
  Failed,
  Cancelled,
  TimedOut;

  public boolean isFinal() {
    return this == Succeeded || this == Failed || this == Cancelled || this == TimedOut;
  }
}
