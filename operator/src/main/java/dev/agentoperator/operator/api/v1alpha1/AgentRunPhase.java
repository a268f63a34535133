package dev.agentoperator.operator.api.v1alpha1;

import dev.agentoperator.contract.runner.RunPhase;

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

  /**
   * True once the run has ended and will not change again: the runner contract's final phases
   * ({@link RunPhase#isFinal()}), defined there once; Pending and Queued are the operator's own.
   */
  public boolean isTerminal() {
    return RunPhase.isFinal(name());
  }
}
