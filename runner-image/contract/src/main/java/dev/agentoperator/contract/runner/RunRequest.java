package dev.agentoperator.contract.runner;

import java.util.List;

/**
 * The body of {@code PUT /v1/runs/{uid}} ({@code RunRequest} in the runner API): what the runner
 * needs to start or resume a run. Absent fields are null and the runner's defaults apply, except
 * {@code tools}: the operator always sends one and the runner refuses a request without it.
 * {@code mcpServers} narrows the session's MCP servers by name: absent gives the run all of them,
 * {@code []} none, and a name the session does not have is a 400.
 */
public record RunRequest(
    String prompt,
    String runName,
    String systemPrompt,
    Model model,
    Limits limits,
    Tools tools,
    String restoreSnapshot,
    Boolean resume,
    List<String> mcpServers) {

  /** Per-run model overrides; never keys or endpoints. */
  public record Model(
      String name, Double temperature, Integer maxOutputTokens, Integer contextWindow) {}

  /** Bounds that end the run; {@code timeoutSeconds} in whole seconds. */
  public record Limits(
      Integer maxSteps, Long maxTokens, Long timeoutSeconds, Integer maxToolCalls) {}

  /**
   * The run's effective tool policy ({@code ToolPolicy} in the runner API): patterns {@code tool}
   * or {@code tool:argument-glob}, decided by {@link dev.agentoperator.contract.policy.ToolPolicy}.
   */
  public record Tools(List<String> allow, List<String> ask, List<String> deny) {

    /** A policy that denies every tool. */
    public static Tools denyAll() {
      return new Tools(List.of(), List.of(), List.of());
    }
  }

  /** True when the runner should continue from the run's last checkpoint. */
  public boolean resumeRequested() {
    return Boolean.TRUE.equals(resume);
  }

  /** The same request asking the runner to continue from its last checkpoint. */
  public RunRequest asResume() {
    return new RunRequest(
        prompt,
        runName,
        systemPrompt,
        model,
        limits,
        tools,
        restoreSnapshot,
        Boolean.TRUE,
        mcpServers);
  }
}
