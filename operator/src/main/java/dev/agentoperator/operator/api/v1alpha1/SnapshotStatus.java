package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latest git snapshot of the workspace, in the session's snapshot repository. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotStatus(
    @JsonPropertyDescription(
        "The latest snapshot commit; pass it as spec.restoreSnapshot of a later run to start"
            + " from it.")
    String commit,
    @JsonPropertyDescription("How many snapshots were taken.") Integer count) {}
