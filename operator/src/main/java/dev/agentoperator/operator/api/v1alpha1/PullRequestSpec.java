package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Where {@code open_pull_request} opens pull requests: the runner calls the forge's REST API with a
 * token only the runner container sees.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullRequestSpec(
    @Required @JsonPropertyDescription("The forge: github, gitlab or gitea.")
    PullRequestProvider provider,
    @Required
    @Pattern("^https?://.+")
    @Size(max = 2048)
    @JsonPropertyDescription(
        "Base URL of the forge's REST API, e.g. `https://api.github.com`,"
            + " `https://gitlab.example.com/api/v4` or `https://gitea.example.com/api/v1`.")
    String apiUrl,
    @Required
    @JsonPropertyDescription(
        "Secret with a `token` key: the API token. Mounted into the runner container only.")
    SecretRef tokenSecretRef,
    @Size(min = 1, max = 255)
    @JsonPropertyDescription(
        "Branch pull requests merge into when the agent names none, e.g. `main`.")
    String baseBranch,
    @Pattern("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+$")
    @Size(max = 512)
    @JsonPropertyDescription(
        "Repository as `owner/name` (a GitLab project path may have more parts). Default: the"
            + " path of the push remote, e.g. `acme/app` for https://github.com/acme/app.git.")
    String repository) {}
