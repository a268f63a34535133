package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Where the agent may publish with {@code git_push}: the runner pushes, with credentials only the
 * runner container sees; the agent names a branch, nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitPush(
    @JsonPropertyDescription(
        "Secret with `username` and `password` (or `token`) keys used to push over HTTPS. It is"
            + " mounted into the runner container only, never into the sandbox. ssh keys are not"
            + " supported. Unset: push without credentials (e.g. a file:// remote).")
    SecretRef credentialsSecretRef,
    @Size(max = 32)
    @JsonPropertyDescription(
        "Branches the agent may push to, as patterns where `*` matches any characters (e.g."
            + " `agent/*`). The branch is pushed to the same name. Empty or unset: no branch may be"
            + " pushed, so git_push is off.")
    List<String> branches,
    @Pattern("^(https?|file)://.+")
    @Size(max = 2048)
    @JsonPropertyDescription(
        "URL to push to (https, http or file; no credentials in it). Default: the clone URL"
            + " (workspace.git.url). The workspace's own git remotes and config are never used.")
    String remote,
    @JsonPropertyDescription(
        "Whether git_push may force-push (replace commits on the remote branch). Default false.")
    Boolean allowForcePush) {}
