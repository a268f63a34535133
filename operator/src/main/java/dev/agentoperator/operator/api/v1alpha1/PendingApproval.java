package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A tool call waiting for a person's decision in spec.approvals. */
public record PendingApproval(
    @JsonPropertyDescription("Id to answer in spec.approvals.") String id,
    @JsonPropertyDescription("The tool the agent wants to call.") String tool,
    @JsonPropertyDescription("The call in one line, e.g. `git push origin main`.") String summary,
    @JsonPropertyDescription("When the agent asked (RFC 3339).") String requestedAt) {}
