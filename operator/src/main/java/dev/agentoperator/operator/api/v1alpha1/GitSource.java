package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A git repository cloned into the workspace when the session's volume is first set up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitSource(
    @Required
    @Pattern("^(https?|ssh|git|file)://.+|^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:.+")
    @Size(max = 2048)
    @JsonPropertyDescription(
        "Repository URL, e.g. `https://github.com/acme/app.git`. Never embed credentials here; use"
            + " credentialsSecretRef.")
    String url,
    @Size(min = 1, max = 255)
    @JsonPropertyDescription("Branch, tag or commit to check out. Default: the remote's HEAD.")
    String ref,
    @JsonPropertyDescription(
        "Secret with `username` and `password` (or token) keys used to clone over HTTPS.")
    SecretRef credentialsSecretRef) {}
