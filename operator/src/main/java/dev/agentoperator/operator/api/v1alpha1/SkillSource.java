package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A skill of a session: a ConfigMap whose keys are the skill's files ({@code SKILL.md} with front
 * matter {@code name} and {@code description}, then instructions; optional other files). It is
 * mounted read-only at {@code /etc/agent-skills/<name>} in the runner and the sandbox container,
 * so the agent can read it: never put secrets in it (a Secret cannot be used here).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SkillSource(
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 40)
    @JsonPropertyDescription(
        "The skill's name, as the agent loads it with the skill tool (lowercase letters, digits,"
            + " '-'; at most 40).")
    String name,
    @Required
    @JsonPropertyDescription(
        "The ConfigMap holding the skill's files (SKILL.md and others), in the same namespace.")
    ConfigMapRef configMapRef) {}
