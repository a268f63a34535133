package dev.agentoperator.operator.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.operator.api.v1alpha1.SkillSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's skills from git in the sandbox pod: each gets an emptyDir that the init container
 * fills ({@code AGENT_SKILLS_GIT} tells it what to clone where) and that the runner and the
 * sandbox mount read-only at {@code /etc/agent-skills/<name>}, like a ConfigMap skill.
 */
final class SandboxGitSkills {

  static final String ENV = RunnerEnv.SKILLS_GIT;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxGitSkills() {}

  /**
   * The init container's {@code AGENT_SKILLS_GIT} and, per skill, {@code AGENT_SKILL_DIR_<NAME>}
   * (its directory, a plain path so a runtime that maps mounts, like the local cluster, can map it);
   * empty without git skills.
   */
  static List<EnvVar> initEnv(List<SkillSource> skills, String skillsDir) {
    List<SkillSource> git = fromGit(skills);
    if (git.isEmpty()) {
      return List.of();
    }
    List<EnvVar> env = new ArrayList<>();
    ArrayNode list = JSON.createArrayNode();
    for (SkillSource skill : git) {
      ObjectNode entry =
          list.addObject()
              .put("name", skill.name())
              .put("url", skill.git().url());
      env.add(
          new EnvVarBuilder()
              .withName(RunnerEnv.skillDir(skill.name()))
              .withValue(skillsDir + "/" + skill.name())
              .build());
      if (skill.git().ref() != null) {
        entry.put("ref", skill.git().ref());
      }
      if (skill.git().path() != null) {
        entry.put("path", skill.git().path());
      }
    }
    try {
      env.addFirst(new EnvVarBuilder().withName(ENV).withValue(JSON.writeValueAsString(list)).build());
      return env;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + ENV, e);
    }
  }

  /** The init container's writable mounts of the git skills' emptyDirs. */
  static List<VolumeMount> initMounts(
      List<SkillSource> skills, String volumePrefix, String skillsDir) {
    return fromGit(skills).stream()
        .map(
            s ->
                new VolumeMountBuilder()
                    .withName(volumePrefix + s.name())
                    .withMountPath(skillsDir + "/" + s.name())
                    .build())
        .toList();
  }

  static boolean isGit(SkillSource skill) {
    return skill.git() != null;
  }

  private static List<SkillSource> fromGit(List<SkillSource> skills) {
    return skills.stream().filter(SandboxGitSkills::isGit).toList();
  }
}
