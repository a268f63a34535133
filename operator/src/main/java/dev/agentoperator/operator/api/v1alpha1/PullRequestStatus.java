package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A pull request the runner opened, or found open, for the run (open_pull_request). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullRequestStatus(
    @JsonPropertyDescription("The pull request's web address.") String url,
    @JsonPropertyDescription("Its number (GitLab: the merge request's iid).") Long number,
    @JsonPropertyDescription("The branch it merges from.") String branch,
    @JsonPropertyDescription("The branch it merges into.") String base,
    @JsonPropertyDescription("When the runner opened or found it (RFC 3339).") String openedAt) {}
