package dev.agentoperator.runner.workspace;

import java.util.Optional;

/**
 * The repository to clone into an empty workspace.
 *
 * @param url the remote, without user info (see {@link SecretRedactor#withoutUserInfo})
 * @param ref a branch, tag or commit id; empty for the remote's default branch
 * @param credentials for HTTPS remotes that need them
 */
public record CloneSource(String url, Optional<String> ref, Optional<GitCredentials> credentials) {

  @Override
  public String toString() {
    return "CloneSource[url="
        + url
        + ", ref="
        + ref.orElse("(default branch)")
        + ", credentials="
        + (credentials.isPresent() ? "***" : "none")
        + "]";
  }
}
