package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A person's answer to one entry of status.pendingApprovals. {@code by} is a record of who
 * answered: the chart's ValidatingAdmissionPolicy makes it the authenticated user; the operator
 * only reports it (Event, status.resolvedApprovals) and never decides anything on it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Approval(
    @Required
    @Pattern("^[A-Za-z0-9._-]{1,64}$")
    @Size(max = 64) // the pattern says so too; maxLength bounds the CEL rules' estimated cost
    @JsonPropertyDescription("The id of the pending approval, from status.pendingApprovals.")
    String id,
    @Required
    @JsonPropertyDescription(
        "`approve` runs the tool call; `deny` returns the reason to the agent as a tool error.")
    ApprovalDecision decision,
    @Size(max = 1024) @JsonPropertyDescription("Why; the agent reads it on deny.") String reason,
    @Size(max = 512)
    @JsonPropertyDescription(
        "The approving user, as the API server authenticated them (request.userInfo.username)."
            + " The Helm chart's ValidatingAdmissionPolicy checks it against the user who adds the"
            + " entry; `kubectl agent approve` fills it in. Without that policy it is free text.")
    String by) {}
