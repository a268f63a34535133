package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The desired state of an AgentRun: one prompt run to completion in a session's sandbox. Immutable
 * once created except {@code cancel}, {@code approvals} and {@code answers} (append-only): a different task is a new
 * AgentRun, which keeps a GitOps history honest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.sessionRef) != has(self.sessionTemplate)",
    message = "set exactly one of spec.sessionRef (an existing AgentSession) or"
        + " spec.sessionTemplate (an ephemeral session for this run)")
@ValidationRule(
    value = "self.prompt == oldSelf.prompt",
    message = "spec.prompt is immutable; create a new AgentRun for a new prompt")
@ValidationRule(
    value = "has(self.sessionRef) == has(oldSelf.sessionRef)"
        + " && (!has(self.sessionRef) || self.sessionRef == oldSelf.sessionRef)",
    message = "spec.sessionRef is immutable; create a new AgentRun to use another session")
@ValidationRule(
    value = "has(self.sessionTemplate) == has(oldSelf.sessionTemplate)"
        + " && (!has(self.sessionTemplate) || self.sessionTemplate == oldSelf.sessionTemplate)",
    message = "spec.sessionTemplate is immutable; create a new AgentRun to change it")
@ValidationRule(
    value = "has(self.model) == has(oldSelf.model)"
        + " && (!has(self.model) || self.model == oldSelf.model)",
    message = "spec.model is immutable; create a new AgentRun to change it")
@ValidationRule(
    value = "has(self.limits) == has(oldSelf.limits)"
        + " && (!has(self.limits) || self.limits == oldSelf.limits)",
    message = "spec.limits is immutable; create a new AgentRun to change it")
@ValidationRule(
    value = "has(self.tools) == has(oldSelf.tools)"
        + " && (!has(self.tools) || self.tools == oldSelf.tools)",
    message = "spec.tools is immutable; answer approvals with spec.approvals instead")
@ValidationRule(
    value = "has(self.mcpServers) == has(oldSelf.mcpServers)"
        + " && (!has(self.mcpServers) || self.mcpServers == oldSelf.mcpServers)",
    message = "spec.mcpServers is immutable; create a new AgentRun to change it")
@ValidationRule(
    value = "has(self.restoreSnapshot) == has(oldSelf.restoreSnapshot)"
        + " && (!has(self.restoreSnapshot) || self.restoreSnapshot == oldSelf.restoreSnapshot)",
    message = "spec.restoreSnapshot is immutable; create a new AgentRun to change it")
@ValidationRule(
    value = "has(self.ttlSecondsAfterFinished) == has(oldSelf.ttlSecondsAfterFinished)"
        + " && (!has(self.ttlSecondsAfterFinished)"
        + " || self.ttlSecondsAfterFinished == oldSelf.ttlSecondsAfterFinished)",
    message = "spec.ttlSecondsAfterFinished is immutable; create a new AgentRun to change it")
// The approvals rules compare up to 256 x 256 entries: by id (maxLength 64) and by whole entry
// (object equality is costed per field count), which keeps them far under the API server's
// estimated-cost budget. Who may add an entry is the chart's ValidatingAdmissionPolicy's business.
@ValidationRule(
    value = "!has(self.approvals) || self.approvals.all(a, self.approvals.exists_one(b, b.id == a.id))",
    message = "spec.approvals[].id must be unique: each pending approval is answered once")
@ValidationRule(
    value = "!has(oldSelf.approvals)"
        + " || (has(self.approvals) && oldSelf.approvals.all(o, self.approvals.exists(n, n == o)))",
    message = "spec.approvals is append-only: an answer cannot be changed or removed once given"
        + " (it records who decided); append answers to new pending approvals only")
@ValidationRule(
    value = "!has(self.answers) || self.answers.all(a, self.answers.exists_one(b, b.id == a.id))",
    message = "spec.answers[].id must be unique: each pending question is answered once")
@ValidationRule(
    value = "!has(oldSelf.answers)"
        + " || (has(self.answers) && oldSelf.answers.all(o, self.answers.exists(n, n == o)))",
    message = "spec.answers is append-only: an answer cannot be changed or removed once given")
public record AgentRunSpec(
    @JsonPropertyDescription("An existing AgentSession to run in. Exclusive with sessionTemplate.")
    SessionRef sessionRef,
    @JsonPropertyDescription(
        "An inline AgentSession spec: the operator creates an ephemeral session owned by this run"
            + " and deletes it with the run. Exclusive with sessionRef.")
    AgentSessionSpec sessionTemplate,
    @Required
    @Size(min = 1, max = 65536)
    @JsonPropertyDescription("The task for the agent, as you would write it to a colleague.")
    String prompt,
    @JsonPropertyDescription("Model settings for this run over the session's (never keys).")
    RunModelOverrides model,
    @JsonPropertyDescription("Bounds on steps, tokens, tool calls and time.") RunLimitsSpec limits,
    @JsonPropertyDescription(
        "Tool policy for this run. It may only narrow the session's: a pattern the session does"
            + " not allow is rejected.")
    ToolPolicySpec tools,
    @Pattern(Patterns.COMMIT)
    @JsonPropertyDescription(
        "A snapshot commit (from an earlier run's status.snapshot.commit) to restore the workspace"
            + " to before the run starts.")
    String restoreSnapshot,
    @JsonPropertyDescription("Set to true to cancel the run; it ends as Cancelled.") Boolean cancel,
    @Size(max = 256)
    @JsonPropertyDescription(
        "Answers to status.pendingApprovals, appended by `kubectl agent approve` or a patch."
            + " Append-only: an entry cannot be changed or removed once given.")
    List<Approval> approvals,
    @Min(0)
    @Max(31_536_000)
    @JsonPropertyDescription(
        "Delete the run (and its ephemeral session) this many seconds after it finished. Unset:"
            + " keep it.")
    Long ttlSecondsAfterFinished,
    @Size(max = 256)
    @JsonPropertyDescription(
        "Answers to status.pendingQuestions (the agent's question tool), appended by `kubectl"
            + " agent answer` or a patch. Append-only: an entry cannot be changed or removed once"
            + " given.")
    List<Answer> answers,
    @Size(max = 16)
    @JsonPropertyDescription(
        "The session's MCP servers this run gets, by name; [] gives it none. Unset: all of"
            + " them. A name the session does not have fails the run.")
    List<String> mcpServers) {

  /** An empty builder; every field starts unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this spec, to copy it with some fields changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds an AgentRunSpec by field name, so a copy carries every field. */
  public static final class Builder {
    private SessionRef sessionRef;
    private AgentSessionSpec sessionTemplate;
    private String prompt;
    private RunModelOverrides model;
    private RunLimitsSpec limits;
    private ToolPolicySpec tools;
    private String restoreSnapshot;
    private Boolean cancel;
    private List<Approval> approvals;
    private Long ttlSecondsAfterFinished;
    private List<Answer> answers;
    private List<String> mcpServers;

    private Builder() {}

    private Builder(AgentRunSpec spec) {
      this.sessionRef = spec.sessionRef();
      this.sessionTemplate = spec.sessionTemplate();
      this.prompt = spec.prompt();
      this.model = spec.model();
      this.limits = spec.limits();
      this.tools = spec.tools();
      this.restoreSnapshot = spec.restoreSnapshot();
      this.cancel = spec.cancel();
      this.approvals = spec.approvals();
      this.ttlSecondsAfterFinished = spec.ttlSecondsAfterFinished();
      this.answers = spec.answers();
      this.mcpServers = spec.mcpServers();
    }

    public Builder sessionRef(SessionRef sessionRef) {
      this.sessionRef = sessionRef;
      return this;
    }

    public Builder sessionTemplate(AgentSessionSpec sessionTemplate) {
      this.sessionTemplate = sessionTemplate;
      return this;
    }

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder model(RunModelOverrides model) {
      this.model = model;
      return this;
    }

    public Builder limits(RunLimitsSpec limits) {
      this.limits = limits;
      return this;
    }

    public Builder tools(ToolPolicySpec tools) {
      this.tools = tools;
      return this;
    }

    public Builder restoreSnapshot(String restoreSnapshot) {
      this.restoreSnapshot = restoreSnapshot;
      return this;
    }

    public Builder cancel(Boolean cancel) {
      this.cancel = cancel;
      return this;
    }

    public Builder approvals(List<Approval> approvals) {
      this.approvals = approvals;
      return this;
    }

    public Builder ttlSecondsAfterFinished(Long ttlSecondsAfterFinished) {
      this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
      return this;
    }

    public Builder answers(List<Answer> answers) {
      this.answers = answers;
      return this;
    }

    public Builder mcpServers(List<String> mcpServers) {
      this.mcpServers = mcpServers;
      return this;
    }

    public AgentRunSpec build() {
      return new AgentRunSpec(
          sessionRef,
          sessionTemplate,
          prompt,
          model,
          limits,
          tools,
          restoreSnapshot,
          cancel,
          approvals,
          ttlSecondsAfterFinished,
          answers,
          mcpServers);
    }
  }
}
