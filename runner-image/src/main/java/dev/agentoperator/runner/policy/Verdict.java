package dev.agentoperator.runner.policy;

/** The outcome of checking a tool call against a tool policy. Deny wins, then ask, then allow. */
public enum Verdict {
  ALLOW,
  ASK,
  DENY
}
