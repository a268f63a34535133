package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A skill of a session: a ConfigMap whose keys are the skill's files ({@code SKILL.md} with front
 * matter {@code name} and {@code description}, then instructions; optional other files), or a
 * folder of a git repository cloned by the init step. It is mounted read-only at {@code
 * /etc/agent-skills/<name>} in the runner and the sandbox container, so the agent can read it:
 * never put secrets in it (a Secret cannot be used here).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.configMapRef) != has(self.git)",
    message = "a skill needs exactly one of configMapRef and git")
public record SkillSource(
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 40)
    @JsonPropertyDescription(
        "The skill's name, as the agent loads it with the skill tool (lowercase letters, digits,"
            + " '-'; at most 40).")
    String name,
    @JsonPropertyDescription(
        "The ConfigMap holding the skill's files (SKILL.md and others), in the same namespace.")
    ConfigMapRef configMapRef,
    @JsonPropertyDescription(
        "A git repository folder holding the skill's files, cloned when the sandbox pod starts.")
    SkillGitSource git) {}
