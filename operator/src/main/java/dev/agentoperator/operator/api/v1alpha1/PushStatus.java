package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A branch the runner pushed for the run (git_push). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushStatus(
    @JsonPropertyDescription("The remote URL pushed to (never with credentials).") String remote,
    @JsonPropertyDescription("The branch, pushed to the same name.") String branch,
    @JsonPropertyDescription("The pushed commit.") String commit,
    @JsonPropertyDescription("Whether the push replaced commits on the remote branch.")
        Boolean forced,
    @JsonPropertyDescription("When the remote accepted it (RFC 3339).") String pushedAt) {}
