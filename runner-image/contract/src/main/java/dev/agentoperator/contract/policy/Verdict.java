package dev.agentoperator.contract.policy;

/** The outcome of checking a tool call against a tool policy. Deny wins, then ask, then allow. */
public enum Verdict {
  ALLOW,
  ASK,
  DENY
}
