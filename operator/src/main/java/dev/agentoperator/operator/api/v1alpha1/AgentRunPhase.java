package dev.agentoperator.operator.api.v1alpha1;

/** Where a run is in its life. Constant names are the wire values. */
public enum AgentRunPhase {
  Pending,
  Queued,
  Running,
  AwaitingApproval,
  AwaitingInput,
  Succeeded,
  Failed,
  Cancelled,
  TimedOut;

  /** True while the run occupies its session's runner (running or waiting for a person). */
  public boolean isActive() {
    return this == Running || this == AwaitingApproval || this == AwaitingInput;
  }

  /** True once the run has ended and will not change again. */
  public boolean isTerminal() {
    return this == Succeeded || this == Failed || this == Cancelled || this == TimedOut;
  }
}
