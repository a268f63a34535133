package dev.agentoperator.contract.runner;

/**
 * The body of {@code POST /v1/runs/{uid}/approvals} ({@code ApprovalDecision} in the runner API):
 * a person's answer to a pending approval; {@code decision} is {@value #APPROVE} or {@value #DENY};
 * {@code by} who decided ({@code spec.approvals[].by}, may be null), recorded in the run's events.
 */
public record ApprovalDecision(String id, String decision, String reason, String by) {

  public static final String APPROVE = "approve";
  public static final String DENY = "deny";

  /** True for an approval. */
  public boolean approved() {
    return APPROVE.equals(decision);
  }
}
