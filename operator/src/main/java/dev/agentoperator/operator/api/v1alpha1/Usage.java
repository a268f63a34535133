package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Tokens a run used, summed over its model calls. */
public record Usage(
    @JsonPropertyDescription("Prompt tokens.") long inputTokens,
    @JsonPropertyDescription("Completion tokens.") long outputTokens,
    @JsonPropertyDescription("Input plus output tokens.") long totalTokens) {}
