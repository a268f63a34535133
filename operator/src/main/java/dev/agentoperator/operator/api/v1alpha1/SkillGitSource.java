package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A skill kept in a git repository: the init step clones it (shallow, no credentials) and copies
 * the folder at {@code path} to {@code /etc/agent-skills/<name>}, read-only for the runner and the
 * sandbox.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SkillGitSource(
    @Required
    @Pattern("^(https|file)://[^\\s@]+$")
    @Size(max = 2048)
    @JsonPropertyDescription(
        "Repository URL, `https://...` (`file://` only for local clusters and tests); a public"
            + " or in-cluster repository: skill clones take no credentials.")
    String url,
    @Size(min = 1, max = 255)
    @JsonPropertyDescription("Branch or tag to check out. Default: the remote's HEAD.")
    String ref,
    @Pattern("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")
    @Size(max = 255)
    @JsonPropertyDescription(
        "The skill's folder inside the repository (holding SKILL.md), e.g. `skills/release`."
            + " Default: the repository's root.")
    String path) {}
