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
    assertThat(leak.content()).contains("outside the skill").doesNotContain("TOP-SECRET");
    assertThat(dirlink.error()).isTrue();
    assertThat(dirlink.content()).contains("no skill named 'dirlink'");
    assertThat(listing.content()).doesNotContain("TOP-SECRET");
  }

  @Test
  void shouldLoadASkillMountedFromAConfigMapAsTheKubeletWritesIt() throws Exception {
    // given a skill volume laid out as the kubelet writes a configMap: every key a link into
    // ..data, ..data a link to the timestamped directory that holds the files
    configMapVolume(
        mounted.resolve("review"),
        "---\nname: review\ndescription: Review a change\n---\nRead the diff first.",
        "scripts/check.sh",
        "#!/bin/sh\necho ok\n");

    // when
    ToolResult listing = call("{}");
    ToolResult loaded = call("{\"name\":\"review\"}");

    // then the skill is usable, and its files are listed without the kubelet's internals
    assertThat(listing.content()).contains("- review: Review a change");
    assertThat(loaded.error()).as(loaded.content()).isFalse();
    assertThat(loaded.content())
        .contains("Read the diff first.", "SKILL.md", "scripts/", "scripts/check.sh")
        .doesNotContain("..data", "..2026_");
  }

  @Test
  void shouldRefuseConfigMapStyleLinksThatLeaveTheSkill() throws Exception {
    // given an attacker's skill whose ..data points outside the skill, and one whose SKILL.md
    // points into another skill's directory
    Files.writeString(outside.resolve("SKILL.md"), "---\ndescription: TOP-SECRET\n---\nTOP-SECRET");
    Path escaping = Files.createDirectories(mounted.resolve("escaping"));
    Files.createSymbolicLink(escaping.resolve("..data"), outside);
    Files.createSymbolicLink(escaping.resolve("SKILL.md"), Path.of("..data/SKILL.md"));
    configMapVolume(mounted.resolve("victim"), "---\ndescription: victim\n---\nVICTIM-TEXT", null, null);
    Path sideways = Files.createDirectories(mounted.resolve("sideways"));
    Files.createSymbolicLink(sideways.resolve("SKILL.md"), Path.of("../victim/SKILL.md"));
    Files.createSymbolicLink(sideways.resolve("notes"), outside);

    // when
    ToolResult escaped = call("{\"name\":\"escaping\"}");
    ToolResult sidestepped = call("{\"name\":\"sideways\"}");
    ToolResult listing = call("{}");

    // then
    assertThat(escaped.error()).isTrue();
    assertThat(escaped.content()).contains("outside the skill").doesNotContain("TOP-SECRET");
    assertThat(sidestepped.error()).isTrue();
    assertThat(sidestepped.content()).contains("outside the skill").doesNotContain("VICTIM-TEXT");
    assertThat(listing.content()).doesNotContain("TOP-SECRET").contains("- victim: victim");
  }

  /** A directory as the kubelet writes a configMap volume with keys SKILL.md and {@code extra}. */
  private static void configMapVolume(Path dir, String skillMd, String extra, String extraContent)
      throws Exception {
    Path data = Files.createDirectories(dir.resolve("..2026_12_08_01_02_03.123456789"));
    Files.writeString(data.resolve("SKILL.md"), skillMd);
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(dir.resolve("SKILL.md"), Path.of("..data/SKILL.md"));
    if (extra != null) {
      Path file = data.resolve(extra);
      Files.createDirectories(file.getParent());
      Files.writeString(file, extraContent);
      String top = Path.of(extra).getName(0).toString();
      Files.createSymbolicLink(dir.resolve(top), Path.of("..data").resolve(top));
    }
  }
}
