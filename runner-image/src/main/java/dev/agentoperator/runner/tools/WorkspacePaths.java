package dev.agentoperator.runner.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Confines file tools to the workspace. Every path the model gives goes through {@link
 * #resolveForRead} or {@link #resolveForWrite}, which return the real (symlink-free) path or refuse
 * with a {@link ToolException}: empty paths, NUL bytes, over-long paths, {@code ..} or absolute
 * paths leading outside, symlinks (also dangling ones, and symlinked parent directories) leading
 * outside, and writes into the workspace's own {@code .git} directory.
 *
 * <p>Checks happen before the tool touches the file; a process racing to swap a directory for a
 * symlink between the check and the use is out of scope (the shell tool can do anything anyway; the
 * sandbox pod is the real boundary).
 */
public final class WorkspacePaths {

  static final int MAX_PATH_CHARS = 4096;
  static final int MAX_COMPONENT_CHARS = 255;
  private static final int MAX_SYMLINK_HOPS = 40;

  private final Path root;

  private WorkspacePaths(Path root) {
    this.root = root;
  }

  /** Confinement to {@code workspace}, which must exist. */
  public static WorkspacePaths of(Path workspace) {
    try {
      return new WorkspacePaths(workspace.toRealPath());
    } catch (IOException e) {
      throw new ToolException("the workspace " + workspace + " does not exist or is unreadable");
    }
  }

  /** The workspace's real path. */
  public Path root() {
    return root;
  }

  /** The real path of {@code raw}, refusing anything outside the workspace. */
  public Path resolveForRead(String raw) {
    return resolve(raw);
  }

  /** Like {@link #resolveForRead}, and also refuses the workspace root and its {@code .git}. */
  public Path resolveForWrite(String raw) {
    Path real = resolve(raw);
    if (real.equals(root)) {
      throw new ToolException("'" + raw + "' is the workspace root itself, not a file");
    }
    Path relative = root.relativize(real);
    if (relative.getNameCount() > 0 && relative.getName(0).toString().equals(".git")) {
      throw new ToolException(
          "'" + raw + "' is inside the workspace's .git directory; use git through the shell tool");
    }
    return real;
  }

  /** Whether a real path lies inside the workspace (the root included). */
  public boolean contains(Path realPath) {
    return realPath.startsWith(root);
  }

  /** The path relative to the workspace root with {@code /} separators, {@code .} for the root. */
  public String display(Path path) {
    Path relative = root.relativize(path.toAbsolutePath().normalize());
    String text = relative.toString().replace('\\', '/');
    return text.isEmpty() ? "." : text;
  }

  private Path resolve(String raw) {
    checkText(raw);
    Path given;
    try {
      given = root.getFileSystem().getPath(raw);
    } catch (InvalidPathException e) {
      throw new ToolException("'" + raw + "' is not a valid path: " + e.getReason());
    }
    Path lexical = root.resolve(given).normalize();
    if (!lexical.startsWith(root)) {
      throw new ToolException(
          "'" + raw + "' is outside the workspace; use a path relative to the workspace root");
    }
    Path real = walk(given.isAbsolute() ? given.getRoot() : root, given, raw, new int[1]);
    if (!real.startsWith(root)) {
      throw new ToolException(
          "'" + raw + "' leads outside the workspace through a symbolic link; refused");
    }
    return real;
  }

  private static void checkText(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new ToolException("the path is empty; give a path relative to the workspace root");
    }
    if (raw.indexOf('\0') >= 0) {
      throw new ToolException("the path contains a NUL byte; refused");
    }
    if (raw.length() > MAX_PATH_CHARS) {
      throw new ToolException(
          "the path is "
              + raw.length()
              + " characters long; at most "
              + MAX_PATH_CHARS
              + " allowed");
    }
    for (String component : raw.split("/")) {
      if (component.length() > MAX_COMPONENT_CHARS) {
        throw new ToolException(
            "a path component is "
                + component.length()
                + " characters long; at most "
                + MAX_COMPONENT_CHARS
                + " allowed");
      }
    }
  }

  /**
   * Resolves a path one component at a time, as the kernel does: a symlink is replaced by its
   * target (also when the target does not exist, so writing through a dangling link cannot create a
   * file outside), {@code ..} goes to the parent of the symlink-free path built so far, and
   * components that do not exist yet are appended as they are.
   */
  private Path walk(Path start, Path relative, String raw, int[] hops) {
    Path current = start;
    for (Path part : relative) {
      String name = part.toString();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        current = current.getParent() == null ? current : current.getParent();
        continue;
      }
      Path next = current.resolve(name);
      if (Files.isSymbolicLink(next)) {
        if (++hops[0] > MAX_SYMLINK_HOPS) {
          throw new ToolException("'" + raw + "' has too many levels of symbolic links");
        }
        Path target;
        try {
          target = Files.readSymbolicLink(next);
        } catch (IOException e) {
          throw new ToolException("cannot read the symbolic link in '" + raw + "'");
        }
        current =
            target.isAbsolute()
                ? walk(target.getRoot(), target, raw, hops)
                : walk(current, target, raw, hops);
      } else {
        current = next;
      }
    }
    return current;
  }
}
