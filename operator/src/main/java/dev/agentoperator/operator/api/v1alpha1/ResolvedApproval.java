package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An answer from spec.approvals that the operator passed to the runner, and who gave it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedApproval(
    @JsonPropertyDescription("The approval's id, as in spec.approvals.") String id,
    @JsonPropertyDescription("The tool the agent wanted to call.") String tool,
    @JsonPropertyDescription("`approve` or `deny`.") ApprovalDecision decision,
    @JsonPropertyDescription(
        "Who answered, copied from spec.approvals[].by (unset when the entry named no one).")
    String by,
    @JsonPropertyDescription("When the operator passed the answer to the runner (RFC 3339).")
    String resolvedAt) {}
