package dev.agentoperator.runner.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.contract.runner.RunnerEnv;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The init step's clone of the session's skills from git ({@code AGENT_SKILLS_GIT}): each
 * repository is cloned shallow into a temporary directory and the skill's folder copied into its
 * emptyDir (regular files only, no links, no {@code .git}, capped), which the runner and the sandbox
 * then mount read-only at {@code /etc/agent-skills/<name>}. Done at every pod start: the emptyDir is
 * new each time.
 */
public final class GitSkills {

  public static final String ENV = RunnerEnv.SKILLS_GIT;

  /** The most files one skill may have. */
  static final int MAX_FILES = 200;

  /** The most bytes one skill's files may have together. */
  static final long MAX_BYTES = 10L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One skill to fetch. */
  public record Skill(String name, String url, String ref, String path, Path dir) {}

  private GitSkills() {}

  /**
   * Parses {@code AGENT_SKILLS_GIT} (blank means none) with each skill's directory from {@code
   * AGENT_SKILL_DIR_<NAME>}.
   */
  public static List<Skill> parse(Map<String, String> env) {
    String json = env.get(ENV);
    if (json == null || json.isBlank()) {
      return List.of();
    }
    List<Skill> skills = new ArrayList<>();
    try {
      for (JsonNode node : JSON.readTree(json)) {
        String path = node.path("path").asText("");
        if (path.contains("..") || path.startsWith("/")) {
          throw new IllegalArgumentException(
              ENV + ": skill " + node.path("name").asText() + " has a path outside its repository");
        }
        String name = node.path("name").asText();
        String dirEnv = RunnerEnv.skillDir(name);
        String dir = env.get(dirEnv);
        if (dir == null || dir.isBlank()) {
          throw new IllegalArgumentException(ENV + ": skill " + name + " needs " + dirEnv);
        }
        skills.add(
            new Skill(
                name,
                node.path("url").asText(),
                node.hasNonNull("ref") ? node.get("ref").asText() : null,
                path,
                Path.of(dir)));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(ENV + " is not valid JSON: " + e.getMessage(), e);
    }
    return List.copyOf(skills);
  }

  /** Fetches every skill, or throws {@link WorkspaceInitException} naming the one that failed. */
  public static void fetchAll(List<Skill> skills, PrintStream out) {
    for (Skill skill : skills) {
      fetch(skill);
      out.println("init-workspace: skill " + skill.name() + " from " + skill.url() + " ready");
    }
  }

  private static void fetch(Skill skill) {
    Path clone = null;
    try {
      clone = Files.createTempDirectory("skill-" + skill.name());
      CloneCommand command =
          Git.cloneRepository().setURI(skill.url()).setDirectory(clone.toFile()).setDepth(1);
      if (skill.ref() != null) {
        command.setBranch(skill.ref());
      }
      try (Git git = command.call()) {
        // only the work tree is used
      }
      Path source = skill.path().isEmpty() ? clone : clone.resolve(skill.path());
      if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        throw new WorkspaceInitException(
            "skill " + skill.name() + ": " + skill.path() + " is not a folder of " + skill.url());
      }
      if (!Files.isRegularFile(source.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
        throw new WorkspaceInitException(
            "skill " + skill.name() + ": no SKILL.md in " + describe(skill));
      }
      empty(skill.dir());
      copy(skill, source);
    } catch (GitAPIException | IOException | UncheckedIOException e) {
      throw new WorkspaceInitException(
          "skill " + skill.name() + ": cannot clone " + describe(skill) + ": " + e.getMessage());
    } finally {
      if (clone != null) {
        deleteTree(clone);
      }
    }
  }

  private static void copy(Skill skill, Path source) throws IOException {
    long[] budget = {MAX_FILES, MAX_BYTES};
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (dir.getFileName().toString().equals(".git")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(skill.dir().resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (!attrs.isRegularFile()) {
              return FileVisitResult.CONTINUE; // links stay behind: they may lead anywhere
            }
            budget[0]--;
            budget[1] -= attrs.size();
            if (budget[0] < 0 || budget[1] < 0) {
              throw new WorkspaceInitException(
                  "skill "
                      + skill.name()
                      + ": more than "
                      + MAX_FILES
                      + " files or "
                      + MAX_BYTES
                      + " bytes in "
                      + describe(skill));
            }
            Files.copy(file, skill.dir().resolve(source.relativize(file).toString()));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String describe(Skill skill) {
    return skill.url()
        + (skill.ref() == null ? "" : " (ref " + skill.ref() + ")")
        + (skill.path().isEmpty() ? "" : " at " + skill.path());
  }

  /** Removes what an earlier start left in the skill's directory (a restarted init container). */
  private static void empty(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        deleteTree(child);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary clone left behind costs only /tmp space
    }
  }
}
