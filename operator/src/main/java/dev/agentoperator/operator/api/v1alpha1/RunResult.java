package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The agent's final answer, cut to 4 KiB; the whole answer is in the run's transcript. */
public record RunResult(
    @JsonPropertyDescription("The final answer (at most 4 KiB).") String text,
    @JsonPropertyDescription("True when the answer was longer than 4 KiB and was cut.")
    boolean truncated) {}
