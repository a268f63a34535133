package dev.agentoperator.runner.tools.file;

import dev.agentoperator.runner.tools.ToolException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * A glob over relative paths as people write them: {@code **}{@code /*.java} also matches {@code
 * App.java} at the top (Java's own matcher wants a slash there), and a pattern without a slash such
 * as {@code *.py} also matches by file name at any depth.
 */
final class GlobMatcher {

  private final PathMatcher full;
  private final PathMatcher topLevel;
  private final boolean byFileName;

  GlobMatcher(String pattern) {
    try {
      full = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      topLevel =
          pattern.startsWith("**/")
              ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3))
              : null;
    } catch (IllegalArgumentException e) {
      throw new ToolException("invalid glob pattern '" + pattern + "': " + e.getMessage());
    }
    byFileName = !pattern.contains("/");
  }

  boolean matches(Path relative) {
    if (full.matches(relative)) {
      return true;
    }
    if (topLevel != null && topLevel.matches(relative)) {
      return true;
    }
    Path name = relative.getFileName();
    return byFileName && name != null && full.matches(name);
  }
}
