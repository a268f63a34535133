package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** Per-run model settings over the session's. Keys and endpoints stay with the session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunModelOverrides(
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Model name for this run only.")
    String name,
    @Min(0) @Max(2) @JsonPropertyDescription("Sampling temperature for this run only, 0 to 2.")
    Double temperature) {}
