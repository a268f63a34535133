package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import java.util.List;
import java.util.Map;

/**
 * The CRD schema of {@code sandbox.resources}: Fabric8's {@code ResourceRequirements} with its maps
 * bounded. Only the schema comes from here; the Java field stays a {@code ResourceRequirements}.
 * The quantities themselves are checked by the operator ({@code SessionValidator}): crd-generator
 * 7.5.2 drops a {@code @Pattern} on int-or-string map values, and a CEL rule over values without a
 * maxLength exceeds the API server's estimated-cost budget.
 */
record SandboxResourcesSchema(
    @Size(max = 16)
    @JsonPropertyDescription("Most compute resources the sandbox container may use, e.g. `cpu: 2`.")
    Map<String, Quantity> limits,
    @Size(max = 16)
    @JsonPropertyDescription(
        "Compute resources the sandbox container is scheduled with, e.g. `memory: 512Mi`.")
    Map<String, Quantity> requests,
    @Size(max = 16) @JsonPropertyDescription("Dynamic resource claims the container uses.")
    List<ResourceClaim> claims) {}
