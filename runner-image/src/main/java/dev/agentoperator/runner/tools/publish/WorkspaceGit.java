package dev.agentoperator.runner.tools.publish;

import dev.agentoperator.runner.tools.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The workspace's git repository read as data, never as configuration: the runner takes a branch's
 * commit id from the ref files and the objects from {@code .git/objects}, and nothing else. The
 * workspace's {@code .git/config} (remotes, {@code insteadOf}, credential helpers, proxies, ssh
 * commands, includes), its hooks and its {@code HEAD} are never read. Whatever the runner follows
 * must lie inside the workspace: a symbolic link for {@code .git}, a {@code .git} file pointing
 * elsewhere, a link inside the objects or on a ref's path, and borrowed objects ({@code
 * objects/info/alternates}) are refused. A ref file's content never reaches an error message (a
 * planted link could make it a secret).
 *
 * <p>{@link #stage} makes a private bare repository in the runner's own temporary directory that
 * borrows these objects; transports run against it, under the runner's configuration only.
 */
final class WorkspaceGit {

  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}");
  private static final int REF_FILE_MAX_BYTES = 512;
  private static final long PACKED_REFS_MAX_BYTES = 64L * 1024 * 1024;
  private static final Set<String> BORROWING_FILES = Set.of("alternates", "http-alternates");

  private final Path dotGit;
  private final Path objects;

  private WorkspaceGit(Path dotGit, Path objects) {
    this.dotGit = dotGit;
    this.objects = objects;
  }

  /** The repository at {@code workspace/.git}, checked; a {@link ToolException} says why not. */
  static WorkspaceGit open(Path workspace) {
    Path dotGit = workspace.toAbsolutePath().normalize().resolve(".git");
    if (Files.isSymbolicLink(dotGit)) {
      throw new ToolException(
          "the workspace's .git is a symbolic link; the runner reads only a repository that lies"
              + " inside the workspace, so nothing was pushed");
    }
    if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException(
          "the workspace has no .git directory (a .git file that points elsewhere is not"
              + " followed); nothing was pushed");
    }
    Path objects = dotGit.resolve("objects");
    if (Files.isSymbolicLink(objects) || !Files.isDirectory(objects, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException(
          "the workspace's .git/objects is not a directory inside the workspace; nothing was"
              + " pushed");
    }
    checkObjects(objects);
    return new WorkspaceGit(dotGit, objects);
  }

  /** The commit id of branch {@code name} ({@code refs/heads/<name>}), if the branch exists. */
  Optional<ObjectId> branch(String name) {
    return ref("refs/heads/" + name);
  }

  /** The id a full ref name points to, from its loose file or {@code packed-refs}. */
  Optional<ObjectId> ref(String refName) {
    Path loose = dotGit;
    for (String part : refName.split("/")) {
      loose = loose.resolve(part);
      if (Files.isSymbolicLink(loose)) {
        throw new ToolException(
            "the path of ref " + refName + " in the workspace repository has a symbolic link;"
                + " it is not followed");
      }
    }
    if (Files.isRegularFile(loose, LinkOption.NOFOLLOW_LINKS)) {
      String content = readSmall(loose).strip();
      if (!OBJECT_ID.matcher(content).matches()) {
        // Never show the content: only a 40-hex id is a ref the runner accepts.
        throw new ToolException(
            "ref " + refName + " in the workspace repository is not a plain commit id (a symbolic"
                + " ref or damaged file); commit on the branch with git and try again");
      }
      return Optional.of(ObjectId.fromString(content));
    }
    return packed(refName);
  }

  /**
   * A private bare repository in {@code dir} (the runner's, not the workspace's) whose objects are
   * the workspace's, borrowed through a link it owns. Only the objects directory is reached, so the
   * workspace's repository is never opened as a repository (its config never read).
   */
  Repository stage(Path dir) throws IOException {
    Path link = dir.resolve("workspace-objects");
    Files.createSymbolicLink(link, objects);
    Path gitDir = dir.resolve("stage.git");
    Repository repository =
        new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
    repository.create(true);
    Path info = gitDir.resolve("objects").resolve("info");
    Files.createDirectories(info);
    Files.writeString(info.resolve("alternates"), link + "\n", StandardCharsets.UTF_8);
    return repository;
  }

  private Optional<ObjectId> packed(String refName) {
    Path packed = dotGit.resolve("packed-refs");
    if (Files.isSymbolicLink(packed)) {
      throw new ToolException(
          "the workspace repository's packed-refs is a symbolic link; it is not followed");
    }
    if (!Files.isRegularFile(packed, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      if (Files.size(packed) > PACKED_REFS_MAX_BYTES) {
        throw new ToolException("the workspace repository's packed-refs is too large to read");
      }
      try (InputStream in =
              Files.newInputStream(packed, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
          Stream<String> lines =
              new String(in.readNBytes((int) PACKED_REFS_MAX_BYTES), StandardCharsets.UTF_8)
                  .lines()) {
        return lines
            .filter(line -> line.endsWith(" " + refName))
            .map(line -> line.substring(0, line.indexOf(' ')))
            .filter(id -> OBJECT_ID.matcher(id).matches())
            .map(ObjectId::fromString)
            .findFirst();
      }
    } catch (IOException e) {
      throw new ToolException("cannot read the workspace repository's packed-refs", e);
    }
  }

  private static String readSmall(Path file) {
    try (SeekableByteChannel channel =
        Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      ByteBuffer buffer = ByteBuffer.allocate(REF_FILE_MAX_BYTES);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // fill up to the cap; a ref file is 41 bytes
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ToolException("cannot read a ref file of the workspace repository", e);
    }
  }

  /** Refuses links and borrowed objects anywhere under {@code .git/objects}. */
  private static void checkObjects(Path objects) {
    try {
      Files.walkFileTree(
          objects,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return check(dir, attrs);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              return check(file, attrs);
            }

            private FileVisitResult check(Path path, BasicFileAttributes attrs) {
              if (attrs.isSymbolicLink() || attrs.isOther()) {
                throw new ToolException(
                    "the workspace repository has a symbolic link or special file in .git/objects ("
                        + objects.relativize(path)
                        + "); the runner does not follow links out of the workspace, so nothing"
                        + " was pushed");
              }
              Path parent = path.getParent();
              if (parent != null
                  && parent.getFileName() != null
                  && parent.getFileName().toString().equals("info")
                  && BORROWING_FILES.contains(path.getFileName().toString())) {
                throw new ToolException(
                    "the workspace repository borrows objects from another repository ("
                        + objects.relativize(path)
                        + "); the runner reads only objects inside the workspace, so nothing was"
                        + " pushed");
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new ToolException("cannot read the workspace repository's objects", e);
    }
  }
}
