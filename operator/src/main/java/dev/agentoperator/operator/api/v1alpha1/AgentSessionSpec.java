package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired state of an AgentSession: a model, a workspace and a sandbox that runs its runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentSessionSpec(
    @Required @JsonPropertyDescription("The model the agent talks to.") ModelSpec model,
    @Size(max = 65536)
    @JsonPropertyDescription(
        "System prompt of every run in this session. Default: the runner's built-in prompt"
            + " (spec/system-prompt.md).")
    String systemPrompt,
    @JsonPropertyDescription("The persistent workspace volume.") WorkspaceSpec workspace,
    @JsonPropertyDescription("The sandbox pod that runs the runner and its tools.")
    SandboxSpec sandbox,
    @JsonPropertyDescription(
        "Tool policy of every run in this session; a run may only narrow it. Unset: no tool is"
            + " allowed.")
    ToolPolicySpec tools,
    @Pattern(Patterns.DURATION)
    @Size(max = 32)
    @ValidationRule(
        value = Patterns.POSITIVE_DURATION_RULE,
        message = "idleTimeout must be longer than zero, e.g. 30m; unset it to keep the pod")
    @JsonPropertyDescription(
        "Delete the sandbox pod after this long with no active or queued run (e.g. `30m`); the"
            + " workspace is kept and the next run brings the pod back. Unset: never.")
    String idleTimeout,
    @JsonPropertyDescription(
        "Delete the sandbox pod and hold new runs in the queue until set back to false.")
    Boolean suspend,
    @Size(max = 20)
    @ValidationRule(
        value = "self.all(a, self.exists_one(b, b.name == a.name))",
        message = "spec.skills[].name must be unique")
    @JsonPropertyDescription(
        "Skills the agent can load on demand with the skill tool, each from a ConfigMap mounted"
            + " read-only at /etc/agent-skills/<name> in the runner and the sandbox (readable by the"
            + " agent: no secrets). At most 20; the workspace's .agent/skills/*/SKILL.md are"
            + " offered too.")
    List<SkillSource> skills,
    @Size(max = 16)
    @ValidationRule(
        value = "self.all(a, self.exists_one(b, b.name == a.name))",
        message = "spec.mcpServers[].name must be unique")
    @JsonPropertyDescription(
        "MCP servers whose tools every run gets as mcp__<server>__<tool> (a run may narrow them"
            + " with its spec.mcpServers), under the same tool policy as the built-in tools. At"
            + " most 16.")
    List<McpServer> mcpServers) {

  /** An empty builder; every field starts unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this spec, to copy it with some fields changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds an AgentSessionSpec by field name, so a copy carries every field. */
  public static final class Builder {
    private ModelSpec model;
    private String systemPrompt;
    private WorkspaceSpec workspace;
    private SandboxSpec sandbox;
    private ToolPolicySpec tools;
    private String idleTimeout;
    private Boolean suspend;
    private List<SkillSource> skills;
    private List<McpServer> mcpServers;

    private Builder() {}

    private Builder(AgentSessionSpec spec) {
      this.model = spec.model();
      this.systemPrompt = spec.systemPrompt();
      this.workspace = spec.workspace();
      this.sandbox = spec.sandbox();
      this.tools = spec.tools();
      this.idleTimeout = spec.idleTimeout();
      this.suspend = spec.suspend();
      this.skills = spec.skills();
      this.mcpServers = spec.mcpServers();
    }

    public Builder model(ModelSpec model) {
      this.model = model;
      return this;
    }

    public Builder systemPrompt(String systemPrompt) {
      this.systemPrompt = systemPrompt;
      return this;
    }

    public Builder workspace(WorkspaceSpec workspace) {
      this.workspace = workspace;
      return this;
    }

    public Builder sandbox(SandboxSpec sandbox) {
      this.sandbox = sandbox;
      return this;
    }

    public Builder tools(ToolPolicySpec tools) {
      this.tools = tools;
      return this;
    }

    public Builder idleTimeout(String idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder suspend(Boolean suspend) {
      this.suspend = suspend;
      return this;
    }

    public Builder skills(List<SkillSource> skills) {
      this.skills = skills;
      return this;
    }

    public Builder mcpServers(List<McpServer> mcpServers) {
      this.mcpServers = mcpServers;
      return this;
    }

    public AgentSessionSpec build() {
      return new AgentSessionSpec(
          model,
          systemPrompt,
          workspace,
          sandbox,
          tools,
          idleTimeout,
          suspend,
          skills,
          mcpServers);
    }
  }
}
