package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.policy.PolicyDecision;

/**
 * Decides whether a tool call may run, must be approved, or is denied. Production code passes the
 * contract's {@code ToolPolicy::decide}; there is no allow-everything constant, so a run without a
 * policy cannot be built by accident.
 */
@FunctionalInterface
public interface ToolCallPolicy {

  PolicyDecision decide(String toolName, String mainArgument);
}
