package dev.agentoperator.operator.api.v1alpha1;

/** Where a session is in its life. Constant names are the wire values. */
public enum AgentSessionPhase {
  Pending,
  Ready,
  Idle,
  Failed,
  Terminating
}
