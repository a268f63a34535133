package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The sandbox pod that runs the session's runner and its tools. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxSpec(
    @Size(max = 512)
    @JsonPropertyDescription(
        "Runner image. Default: the operator's configured runner image. A custom image must"
            + " contain the agent-runner jar and its entrypoint.")
    String image,
    @JsonPropertyDescription("CPU and memory requests and limits of the runner container.")
    ResourceRequirements resources,
    @Size(max = 64)
    @JsonPropertyDescription(
        "Extra environment variables for the runner and the tools it starts. Variables whose names"
            + " look secret (KEY, TOKEN, SECRET, PASSWORD) are scrubbed from tool processes.")
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
        "Extra allowed egress (CIDRs and ports) beside DNS, the model endpoint and the public"
            + " internet.")
    List<EgressRule> egress) {}
