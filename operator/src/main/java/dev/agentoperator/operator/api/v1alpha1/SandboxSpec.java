package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * The sandbox pod: the trusted runner container and the {@code sandbox} container where every tool
 * call runs (the agent's only reach).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxSpec(
    @Size(max = 512)
    @JsonPropertyDescription(
        "Image of the sandbox container, where every tool call (shell, file tools, web_fetch)"
            + " runs: any glibc-based image with /bin/sh, e.g. `python:3.12-slim`,"
            + " `node:22-bookworm`, `maven:3-eclipse-temurin-21`. The tool executor is injected"
            + " by an init container, so the image needs nothing of ours. Default: the runner"
            + " image, which carries a toolbox (bash, git, python3, ripgrep, curl). Alpine (musl)"
            + " images do not work.")
    String image,
    @SchemaFrom(type = SandboxResourcesSchema.class)
    @JsonPropertyDescription(
        "CPU and memory requests and limits of the sandbox container (where tools run), as"
            + " Kubernetes quantities: `cpu: 500m`, `memory: 1Gi`.")
    ResourceRequirements resources,
    @Size(max = 64)
    @ValidationRule(
        value = "self.all(e, !has(e.valueFrom) || !has(e.valueFrom.secretKeyRef))",
        message =
            "sandbox.env must not read Secrets (secretKeyRef): the agent can read everything in"
                + " the sandbox container; use a plain value or a configMapKeyRef")
    @JsonPropertyDescription(
        "Extra environment variables for the sandbox container, i.e. for the tools the agent"
            + " runs. Plain values and ConfigMap references only: whatever the sandbox can read,"
            + " the agent can read, so a secretKeyRef is rejected. Names the operator sets"
            + " (AGENT_*, HOME, TMPDIR) cannot be overridden.")
    List<EnvVar> env,
    @Size(max = 253)
    @JsonPropertyDescription("RuntimeClass for stronger isolation, e.g. `gvisor` or `kata`.")
    String runtimeClassName,
    @Size(max = 32)
    @JsonPropertyDescription("Node labels the sandbox pod must be scheduled on.")
    Map<String, String> nodeSelector,
    @Size(max = 32)
    @JsonPropertyDescription("Tolerations of the sandbox pod.")
    List<Toleration> tolerations,
    @Size(max = 32)
    @JsonPropertyDescription(
        "Egress the pod may have beside DNS (CIDRs and ports). Egress is denied by default: an"
            + " `openai` session through the operator's model gateway reaches only DNS, the"
            + " gateway and these; a `model.direct` session (or any, without a gateway) also the"
            + " public internet minus private ranges; a `replay` session DNS and these only.")
    List<EgressRule> egress) {

  /** An empty builder; every field starts unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this spec, to copy it with some fields changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a SandboxSpec by field name, so a copy carries every field. */
  public static final class Builder {
    private String image;
    private ResourceRequirements resources;
    private List<EnvVar> env;
    private String runtimeClassName;
    private Map<String, String> nodeSelector;
    private List<Toleration> tolerations;
    private List<EgressRule> egress;

    private Builder() {}

    private Builder(SandboxSpec spec) {
      this.image = spec.image();
      this.resources = spec.resources();
      this.env = spec.env();
      this.runtimeClassName = spec.runtimeClassName();
      this.nodeSelector = spec.nodeSelector();
      this.tolerations = spec.tolerations();
      this.egress = spec.egress();
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder resources(ResourceRequirements resources) {
      this.resources = resources;
      return this;
    }

    public Builder env(List<EnvVar> env) {
      this.env = env;
      return this;
    }

    public Builder runtimeClassName(String runtimeClassName) {
      this.runtimeClassName = runtimeClassName;
      return this;
    }

    public Builder nodeSelector(Map<String, String> nodeSelector) {
      this.nodeSelector = nodeSelector;
      return this;
    }

    public Builder tolerations(List<Toleration> tolerations) {
      this.tolerations = tolerations;
      return this;
    }

    public Builder egress(List<EgressRule> egress) {
      this.egress = egress;
      return this;
    }

    public SandboxSpec build() {
      return new SandboxSpec(
          image,
          resources,
          env,
          runtimeClassName,
          nodeSelector,
          tolerations,
          egress);
    }
  }
}
