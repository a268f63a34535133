package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A question of the agent (the question tool) waiting for a person's answer in spec.answers. */
public record PendingQuestion(
    @JsonPropertyDescription("Id to answer in spec.answers (`kubectl agent answer RUN ID TEXT`).")
    String id,
    @JsonPropertyDescription("The question, at most 500 characters.") String question,
    @JsonPropertyDescription("Suggested answers; any text is accepted.") List<String> choices,
    @JsonPropertyDescription("When the agent asked (RFC 3339).") String askedAt) {}
