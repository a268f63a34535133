package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One line about one step of a run. */
public record StepSummary(
    @JsonPropertyDescription("Step number, from 1.") int step,
    @JsonPropertyDescription("What the step did, e.g. `shell: npm test (exit 1, 2.3s)`.")
    String summary) {}
