package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A git repository cloned into the workspace when the session's volume is first set up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.push) || has(self.push.remote) || self.url.matches('^(https?|file)://')",
    message = "workspace.git.push pushes over https, http or file only (no ssh): set push.remote"
        + " when the clone URL is not one")
public record GitSource(
    @Required
    @Pattern("^(https|ssh|file)://[^\\s]+$|^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:[^\\s]+$")
    @Size(max = 2048)
    @ValidationRule(
        value = "!self.matches('^[a-z]+://[^/]*@') || self.startsWith('ssh://')",
        message =
            "workspace.git.url must not embed credentials (user:token@); put them in a Secret"
                + " and name it in workspace.git.credentialsSecretRef")
    @JsonPropertyDescription(
        "Repository URL: `https://...`, `ssh://...` or `git@host:path` (`file://` only for local"
            + " clusters and tests), e.g. `https://github.com/acme/app.git`. Never embed credentials"
            + " here; use credentialsSecretRef.")
    String url,
    @Size(min = 1, max = 255)
    @JsonPropertyDescription("Branch, tag or commit to check out. Default: the remote's HEAD.")
    String ref,
    @JsonPropertyDescription(
        "Secret with `username` and `password` (or token) keys used to clone over HTTPS. Only the"
            + " init container that clones sees it.")
    SecretRef credentialsSecretRef,
    @JsonPropertyDescription(
        "Lets the agent publish branches with the git_push tool, which the runner executes with"
            + " these settings and credentials (never visible to the sandbox). Unset: git_push is"
            + " off.")
    GitPush push,
    @JsonPropertyDescription(
        "Lets the agent open pull requests with the open_pull_request tool, which the runner"
            + " executes against the forge's API. Unset: open_pull_request is off.")
    PullRequestSpec pullRequests) {

  /** An empty builder; every field starts unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this spec, to copy it with some fields changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a GitSource by field name, so a copy carries every field. */
  public static final class Builder {
    private String url;
    private String ref;
    private SecretRef credentialsSecretRef;
    private GitPush push;
    private PullRequestSpec pullRequests;

    private Builder() {}

    private Builder(GitSource spec) {
      this.url = spec.url();
      this.ref = spec.ref();
      this.credentialsSecretRef = spec.credentialsSecretRef();
      this.push = spec.push();
      this.pullRequests = spec.pullRequests();
    }

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder ref(String ref) {
      this.ref = ref;
      return this;
    }

    public Builder credentialsSecretRef(SecretRef credentialsSecretRef) {
      this.credentialsSecretRef = credentialsSecretRef;
      return this;
    }

    public Builder push(GitPush push) {
      this.push = push;
      return this;
    }

    public Builder pullRequests(PullRequestSpec pullRequests) {
      this.pullRequests = pullRequests;
      return this;
    }

    public GitSource build() {
      return new GitSource(
          url,
          ref,
          credentialsSecretRef,
          push,
          pullRequests);
    }
  }
}
