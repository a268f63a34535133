package dev.agentoperator.runner.tools.skill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code skill}: progressive disclosure of skills. Without a name it lists each skill's name and
 * one-line description; with a name it returns the skill's SKILL.md and lists its files. Skills
 * come from a read-only mounted directory (the session's ConfigMaps) and from the workspace's
 * {@code .agent/skills/}. Runs in the sandbox: workspace skills are agent-controlled text, so sizes
 * and counts are capped, and inside a skill only links that stay inside its directory are followed
 * (a ConfigMap's files are such links); a skill directory itself must not be a link.
 */
public final class SkillTool implements Tool {

  /** Where the session's skills are mounted read-only in the sandbox container. */
  public static final Path MOUNTED_SKILLS = Path.of("/etc/agent-skills");

  /** The workspace's own skills, relative to its root. */
  public static final String WORKSPACE_SKILLS = ".agent/skills";

  static final int MAX_SKILLS = 50;
  static final int MAX_SKILL_MD_BYTES = 64 * 1024;
  static final int MAX_FILES_LISTED = 100;
  // A bound on the walk of an agent-written skill folder; the listing shows the first 100 sorted.
  private static final int MAX_FILES_WALKED = 10_000;
  static final int MAX_DESCRIPTION_CHARS = 200;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Path mounted;

  public SkillTool() {
    this(MOUNTED_SKILLS);
  }

  /** With the session's skills mounted at {@code mounted} (tests use a temporary directory). */
  public SkillTool(Path mounted) {
    this.mounted = mounted;
  }

  @Override
  public String name() {
    return "skill";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return arguments.path("name").asText("");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    Map<String, Path> skills = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    // The session's skills win over a workspace folder of the same name.
    collect(context.workspace().resolve(WORKSPACE_SKILLS), context.workspace(), skills, problems);
    collect(mounted, null, skills, problems);
    String name = arguments.path("name").asText("");
    if (name.isEmpty()) {
      return list(skills, problems);
    }
    if (!NAME.matcher(name).matches()) {
      return ToolResult.error(
          "'" + name + "' is not a skill name (letters, digits, '-', '_'); call skill without a"
              + " name to list them");
    }
    Path dir = skills.get(name);
    if (dir == null) {
      return ToolResult.error(
          "no skill named '"
              + name
              + "'"
              + (skills.isEmpty()
                  ? "; this run has no skills"
                  : "; available: " + String.join(", ", skills.keySet())));
    }
    try {
      String text = readSkillMd(dir);
      return ToolResult.ok(
          "Skill "
              + name
              + " ("
              + dir
              + "):\n\n"
              + text
              + "\n\nFiles of this skill:\n"
              + String.join("\n", files(dir)));
    } catch (SkillException e) {
      return ToolResult.error("skill " + name + ": " + e.getMessage());
    }
  }

  private static ToolResult list(Map<String, Path> skills, List<String> problems) {
    if (skills.isEmpty()) {
      return ToolResult.ok(
          "No skills are available"
              + (problems.isEmpty() ? "." : " (" + String.join("; ", problems) + ")."));
    }
    StringBuilder out = new StringBuilder("Available skills (load one with skill and its name):\n");
    for (Map.Entry<String, Path> skill : skills.entrySet()) {
      String description;
      try {
        description = frontMatter(readSkillMd(skill.getValue())).getOrDefault("description", "");
      } catch (SkillException e) {
        description = "(unusable: " + e.getMessage() + ")";
      }
      out.append("- ").append(skill.getKey()).append(": ").append(oneLine(description)).append('\n');
    }
    problems.forEach(p -> out.append("Note: ").append(p).append('\n'));
    return ToolResult.ok(out.toString().strip());
  }

  /** Adds each {@code root/<name>/} that is a real directory (no link anywhere below the root). */
  private static void collect(
      Path root, Path workspace, Map<String, Path> skills, List<String> problems) {
    if (workspace != null && !realDirectoryChain(workspace, root)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int found = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (!NAME.matcher(name).matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (++found > MAX_SKILLS) {
          problems.add(
              root + " has more than " + MAX_SKILLS + " skills; only " + MAX_SKILLS + " are used");
          break;
        }
        skills.put(name, dir);
      }
    } catch (IOException e) {
      problems.add("cannot list " + root + ": " + e.getMessage());
    }
  }

  /** True when every directory from {@code base} down to {@code dir} is a directory, not a link. */
  private static boolean realDirectoryChain(Path base, Path dir) {
    Path current = base;
    for (Path part : base.relativize(dir)) {
      current = current.resolve(part);
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The skill's SKILL.md. Links are followed while they stay inside the skill's directory (a
   * configMap volume is links: {@code SKILL.md -> ..data/SKILL.md}, {@code ..data -> ..<time>});
   * a link that leads anywhere else, another skill included, is refused.
   */
  private static String readSkillMd(Path dir) {
    Path file = dir.resolve("SKILL.md");
    Path real;
    try {
      real = insideSkill(dir, file);
    } catch (NoSuchFileException e) {
      throw new SkillException("it has no SKILL.md");
    } catch (IOException e) {
      throw new SkillException("cannot resolve its SKILL.md: " + e.getMessage());
    }
    if (real == null) {
      throw new SkillException(
          "its SKILL.md is a link that leads outside the skill's directory (links are followed"
              + " only inside it)");
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new SkillException("it has no SKILL.md");
    }
    if (!attributes.isRegularFile()) {
      throw new SkillException("its SKILL.md is not a regular file");
    }
    if (attributes.size() > MAX_SKILL_MD_BYTES) {
      throw new SkillException(
          "its SKILL.md has "
              + attributes.size()
              + " bytes; at most "
              + MAX_SKILL_MD_BYTES
              + " are allowed");
    }
    try {
      return Files.readString(real, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SkillException("cannot read its SKILL.md: " + e.getMessage());
    }
  }

  /** The real path of {@code path} when it lies inside the skill's directory, else null. */
  private static Path insideSkill(Path dir, Path path) throws IOException {
    Path real = path.toRealPath();
    return real.startsWith(dir.toRealPath()) ? real : null;
  }

  /** The {@code key: value} lines between the leading {@code ---} lines. */
  static Map<String, String> frontMatter(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.getFirst().strip().equals("---")) {
      return fields;
    }
    for (String line : lines.subList(1, lines.size())) {
      if (line.strip().equals("---")) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.putIfAbsent(line.substring(0, colon).strip(), unquote(line.substring(colon + 1)));
      }
    }
    return fields;
  }

  /**
   * The skill's files relative to its directory, following links that stay inside it and leaving
   * out the kubelet's own entries of a configMap volume ({@code ..data}, {@code ..<time>}).
   */
  private static List<String> files(Path dir) {
    List<String> found = new ArrayList<>();
    try {
      Path realDir = dir.toRealPath();
      Files.walkFileTree(
          dir,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes)
                throws IOException {
              if (d.equals(dir)) {
                return FileVisitResult.CONTINUE;
              }
              if (kubeletEntry(d) || !d.toRealPath().startsWith(realDir)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return add(dir.relativize(d) + "/");
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attributes)
                throws IOException {
              if (kubeletEntry(f) || !f.toRealPath().startsWith(realDir)) {
                return FileVisitResult.CONTINUE;
              }
              return add(dir.relativize(f).toString());
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              // a loop of links or a dangling one: not a file of the skill
              return FileVisitResult.CONTINUE;
            }

            private FileVisitResult add(String entry) {
              found.add(entry);
              return found.size() > MAX_FILES_WALKED
                  ? FileVisitResult.TERMINATE
                  : FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      return List.of("(cannot list the files: " + e.getMessage() + ")");
    }
    List<String> listed = found.stream().sorted().limit(MAX_FILES_LISTED + 1L).toList();
    if (listed.size() > MAX_FILES_LISTED) {
      List<String> shown = new ArrayList<>(listed.subList(0, MAX_FILES_LISTED));
      shown.add("... (only the first " + MAX_FILES_LISTED + " are listed)");
      return shown;
    }
    return listed;
  }

  /** The kubelet's bookkeeping in a configMap volume; no key may start with "..". */
  private static boolean kubeletEntry(Path path) {
    return path.getFileName().toString().startsWith("..");
  }

  private static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static String oneLine(String text) {
    String line = Optional.ofNullable(text).orElse("").strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_DESCRIPTION_CHARS
        ? line
        : line.substring(0, MAX_DESCRIPTION_CHARS) + "...";
  }

  /** A skill that cannot be used, with why. */
  private static final class SkillException extends RuntimeException {
    SkillException(String message) {
      super(message);
    }
  }
}
