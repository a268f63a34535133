package dev.agentoperator.operator.status;

/**
 * The three values of a condition's {@code status}, as the Kubernetes API conventions spell them.
 */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
