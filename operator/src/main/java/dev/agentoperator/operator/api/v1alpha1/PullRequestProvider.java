package dev.agentoperator.operator.api.v1alpha1;

/** The forges open_pull_request speaks to. Constant names are the wire values. */
public enum PullRequestProvider {
  /** GitHub and GitHub Enterprise (REST API v3). */
  github,
  /** GitLab merge requests (REST API v4). */
  gitlab,
  /** Gitea and Forgejo (REST API v1). */
  gitea
}
