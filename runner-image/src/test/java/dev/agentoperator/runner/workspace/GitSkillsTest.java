package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.RunnerEnv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Skills from git: the init step copies the skill's folder, without links or .git, or fails. */
class GitSkillsTest {

  @TempDir Path root;

  private Path origin;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeEach
  void createOrigin() throws Exception {
    origin = root.resolve("origin");
    Path skill = Files.createDirectories(origin.resolve("skills/release"));
    Files.writeString(skill.resolve("SKILL.md"), "---\nname: release\ndescription: Ship it\n---\nSteps");
    Files.writeString(skill.resolve("check.sh"), "echo ok\n");
    Files.createSymbolicLink(skill.resolve("passwd"), Path.of("/etc/passwd"));
    Files.writeString(origin.resolve("README.md"), "not a skill\n");
    try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("skills").setAuthor("t", "t@example.com").setSign(false).call();
    }
  }

  @Test
  void shouldCopyTheSkillsFolderWithoutLinksOrGitMetadata() {
    // given
    Path dir = root.resolve("etc-agent-skills/release");

    // when
    int code = run(skillsJson("release", "skills/release", dir));

    // then
    assertThat(code).as(output()).isZero();
    assertThat(dir.resolve("SKILL.md")).content().contains("description: Ship it");
    assertThat(dir.resolve("check.sh")).hasContent("echo ok");
    assertThat(dir.resolve("passwd")).doesNotExist();
    assertThat(dir.resolve(".git")).doesNotExist();
    assertThat(dir.resolve("README.md")).doesNotExist();
    assertThat(output()).contains("skill release from");
  }

  @Test
  void shouldFailTheInitStepNamingASkillWithoutSkillMd() {
    int code = run(skillsJson("readme", "", root.resolve("etc-agent-skills/readme")));

    assertThat(code).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output()).contains("skill readme: no SKILL.md in file://");
  }

  @Test
  void shouldRefuseAPathThatLeavesTheRepository() {
    int code = run(skillsJson("escape", "../outside", root.resolve("etc-agent-skills/escape")));

    assertThat(code).isEqualTo(WorkspaceInitializer.USAGE);
    assertThat(output()).contains("skill escape has a path outside its repository");
  }

  private final Map<String, String> dirs = new HashMap<>();

  private String skillsJson(String name, String path, Path dir) {
    dirs.put(RunnerEnv.skillDir(name), dir.toString());
    return "[{\"name\":\""
        + name
        + "\",\"url\":\""
        + origin.toUri()
        + "\",\"ref\":\"main\",\"path\":\""
        + path
        + "\"}]";
  }

  private int run(String skills) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_WORKSPACE_DIR", root.resolve("workspace").toString());
    env.put("AGENT_STATE_DIR", root.resolve("state").toString());
    env.put(GitSkills.ENV, skills);
    env.putAll(dirs);
    return WorkspaceInitializer.run(env, List.of(), new PrintStream(output, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }
}
