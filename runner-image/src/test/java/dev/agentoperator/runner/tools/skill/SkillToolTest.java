package dev.agentoperator.runner.tools.skill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillToolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workspace;
  @TempDir Path mounted;
  @TempDir Path outside;

  private SkillTool tool;
  private ToolContext context;

  @BeforeEach
  void setUp() {
    tool = new SkillTool(mounted);
    context = new ToolContext(workspace, workspace.resolve(".state"), Set.of());
  }

  private ToolResult call(String json) throws Exception {
    return tool.call(JSON.readTree(json), context);
  }

  private static void skill(Path root, String name, String description, String body)
      throws Exception {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.writeString(
        dir.resolve("SKILL.md"),
        "---\nname: " + name + "\ndescription: " + description + "\n---\n" + body);
  }

  @Test
  void shouldListSkillsByDescriptionAndLoadOneOnDemandWithItsFiles() throws Exception {
    // given a session skill and a workspace skill
    skill(mounted, "release", "Cut a release: changelog, tag, notes", "Step 1: read CHANGES.");
    Files.writeString(mounted.resolve("release/template.md"), "# Release");
    skill(workspace.resolve(".agent/skills"), "lint", "Run the linters", "Run make lint.");

    // when
    ToolResult listing = call("{}");
    ToolResult loaded = call("{\"name\":\"release\"}");

    // then the listing holds descriptions only, the load the whole text and the files
    assertThat(listing.error()).isFalse();
    assertThat(listing.content())
        .contains("- lint: Run the linters", "- release: Cut a release: changelog, tag, notes")
        .doesNotContain("Step 1");
    assertThat(loaded.error()).isFalse();
    assertThat(loaded.content()).contains("Step 1: read CHANGES.", "SKILL.md", "template.md");
  }

  @Test
  void shouldRefuseAnOversizedSkillAndAnUnknownNameClearly() throws Exception {
    skill(mounted, "huge", "too big", "x".repeat(SkillTool.MAX_SKILL_MD_BYTES));

    ToolResult huge = call("{\"name\":\"huge\"}");
    ToolResult unknown = call("{\"name\":\"nope\"}");
    ToolResult badName = call("{\"name\":\"../etc\"}");

    assertThat(huge.error()).isTrue();
    assertThat(huge.content()).contains("bytes; at most 65536 are allowed");
    assertThat(unknown.error()).isTrue();
    assertThat(unknown.content()).contains("no skill named 'nope'", "available: huge");
    assertThat(badName.error()).isTrue();
    assertThat(badName.content()).contains("is not a skill name");
  }

  @Test
  void shouldUseAtMostFiftySkillsAndSaySo() throws Exception {
    for (int i = 0; i < SkillTool.MAX_SKILLS + 5; i++) {
      skill(mounted, "s%03d".formatted(i), "skill " + i, "body");
    }

    ToolResult listing = call("{}");

    assertThat(listing.content()).contains("- s000:", "more than 50 skills; only 50 are used");
    assertThat(listing.content().lines().filter(l -> l.startsWith("- s"))).hasSize(50);
  }

  @Test
  void shouldNotFollowAWorkspaceLinkToFilesOutsideIt() throws Exception {
    // given an agent that links a skill (and the skills folder) to a file outside the workspace
    Files.writeString(outside.resolve("secret.txt"), "TOP-SECRET");
    Path skills = Files.createDirectories(workspace.resolve(".agent/skills/leak"));
    Files.createSymbolicLink(skills.resolve("SKILL.md"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(workspace.resolve(".agent/skills/dirlink"), outside);

    // when
    ToolResult leak = call("{\"name\":\"leak\"}");
    ToolResult dirlink = call("{\"name\":\"dirlink\"}");
    ToolResult listing = call("{}");

    // then nothing of the outside file reaches the model
    assertThat(leak.error()).isTrue();
    assertThat(leak.content()).contains("not a regular file").doesNotContain("TOP-SECRET");
    assertThat(dirlink.error()).isTrue();
    assertThat(dirlink.content()).contains("no skill named 'dirlink'");
    assertThat(listing.content()).doesNotContain("TOP-SECRET");
  }
}
