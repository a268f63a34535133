package dev.agentoperator.operator.api.v1alpha1;

/** An answer to a pending approval. Constant names are the wire values. */
public enum ApprovalDecision {
  approve,
  deny
}
