package dev.agentoperator.operator.runner;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code PUT /v1/runs/{uid}}: what the runner needs to start or resume a run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRequest(
    String prompt,
    String runName,
    String systemPrompt,
    Model model,
    Limits limits,
    Tools tools,
    String restoreSnapshot,
    Boolean resume,
    java.util.List<String> mcpServers) {

  /** A request that gets all of the session's MCP servers. */
  public RunRequest(
      String prompt,
      String runName,
      String systemPrompt,
      Model model,
      Limits limits,
      Tools tools,
      String restoreSnapshot,
      Boolean resume) {
    this(prompt, runName, systemPrompt, model, limits, tools, restoreSnapshot, resume, null);
  }

  /** Per-run model overrides (never keys or endpoints). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Model(String name, Double temperature) {}

  /** Bounds that end the run; durations in whole seconds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Limits(
      Integer maxSteps, Long maxTokens, Long timeoutSeconds, Integer maxToolCalls) {}

  /**
   * The effective tool policy of the run; always sent, lists included when empty, so the request
   * shows a deny-all policy as {@code {"allow":[],"ask":[],"deny":[]}}.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Tools(
      java.util.List<String> allow, java.util.List<String> ask, java.util.List<String> deny) {}

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
