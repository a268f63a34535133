package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.policy.ToolPolicy;
import java.util.List;

/**
 * What to run: the run's uid (names its state directory), the task, model overrides ({@code
 * modelName} and {@code temperature}, null to keep the session's), limits and tool policy. The
 * policy is required: the runner fails closed, it never guesses one.
 */
public record RunSpec(
    String runUid,
    String prompt,
    String modelName,
    Double temperature,
    RunLimits limits,
    ToolCallPolicy policy) {

  public RunSpec {
    if (runUid == null || !runUid.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new IllegalArgumentException(
          "run uid must be 1-128 letters, digits, '.', '_' or '-', got '" + runUid + "'");
    }
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("the prompt of run " + runUid + " is empty");
    }
    if (policy == null) {
      throw new IllegalArgumentException("run " + runUid + " has no tool policy");
    }
    limits = limits == null ? RunLimits.defaults() : limits;
  }

  /** A run with default limits under a policy that denies every tool (set one with withPolicy). */
  public static RunSpec of(String runUid, String prompt) {
    ToolPolicy denyAll = ToolPolicy.of(List.of(), List.of(), List.of());
    return new RunSpec(runUid, prompt, null, null, RunLimits.defaults(), denyAll::decide);
  }

  public RunSpec withLimits(RunLimits value) {
    return new RunSpec(runUid, prompt, modelName, temperature, value, policy);
  }

  public RunSpec withPolicy(ToolCallPolicy value) {
    return new RunSpec(runUid, prompt, modelName, temperature, limits, value);
  }

  public RunSpec withModel(String name, Double temperatureOverride) {
    return new RunSpec(runUid, prompt, name, temperatureOverride, limits, policy);
  }
}
