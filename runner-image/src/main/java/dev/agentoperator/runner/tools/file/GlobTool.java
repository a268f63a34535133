package dev.agentoperator.runner.tools.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code glob}: workspace files whose path matches a glob pattern. */
public final class GlobTool implements Tool {

  private final ToolSettings settings;

  public GlobTool(ToolSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "glob";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.string(arguments, "pattern");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
    String pattern = Arguments.string(arguments, "pattern");
    String shownBase = Arguments.optionalString(arguments, "path").orElse(".");
    WorkspacePaths paths = WorkspacePaths.of(context.workspace());
    Path base = paths.resolveForRead(shownBase);
    if (!Files.isDirectory(base)) {
      throw new ToolException("directory not found: " + shownBase);
    }
    GlobMatcher matcher = new GlobMatcher(pattern);
    List<String> matches = new ArrayList<>();
    try {
      for (Path file : WorkspaceTree.regularFiles(base)) {
        if (Thread.interrupted()) {
          throw new InterruptedException("glob cancelled");
        }
        if (matcher.matches(base.relativize(file))) {
          matches.add(paths.display(file));
        }
      }
    } catch (IOException e) {
      throw new ToolException("cannot search " + shownBase + ": " + e.getMessage());
    }
    if (matches.isEmpty()) {
      return ToolResult.ok("no files match '" + pattern + "' under " + shownBase);
    }
    int limit = settings.globMaxResults();
    StringBuilder out = new StringBuilder();
    matches.stream().limit(limit).forEach(match -> out.append(match).append('\n'));
    if (matches.size() > limit) {
      out.append("(")
          .append(matches.size() - limit)
          .append(" more matches not shown; use a narrower pattern or path)\n");
    }
    return ToolResult.ok(out.toString());
  }
}
