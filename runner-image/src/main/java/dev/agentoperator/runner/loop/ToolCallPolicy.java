package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.policy.PolicyDecision;
import dev.agentoperator.runner.policy.Verdict;

/** Decides whether a tool call may run, must be approved, or is denied. */
@FunctionalInterface
public interface ToolCallPolicy {

  ToolCallPolicy ALLOW_ALL =
      (tool, argument) -> new PolicyDecision(Verdict.ALLOW, "*", "every tool is allowed");

  PolicyDecision decide(String toolName, String mainArgument);
}
