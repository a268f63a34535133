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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code list_dir}: one directory's entries, sorted, with kind and size. */
public final class ListDirTool implements Tool {

  private final ToolSettings settings;

  public ListDirTool(ToolSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "list_dir";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.optionalString(arguments, "path").orElse(".");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    String shown = Arguments.optionalString(arguments, "path").orElse(".");
    Path dir = WorkspacePaths.of(context.workspace()).resolveForRead(shown);
    if (!Files.exists(dir)) {
      throw new ToolException("directory not found: " + shown);
    }
    if (!Files.isDirectory(dir)) {
      throw new ToolException(shown + " is a file, not a directory; use read_file to read it");
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (IOException e) {
      throw new ToolException("cannot list " + shown + ": " + e.getMessage());
    }
    if (children.isEmpty()) {
      return ToolResult.ok("(" + shown + " is empty)");
    }
    children.sort(null);
    StringBuilder out = new StringBuilder();
    int shownCount = Math.min(children.size(), settings.listDirMaxEntries());
    for (Path child : children.subList(0, shownCount)) {
      out.append(describe(child)).append('\n');
    }
    if (children.size() > shownCount) {
      out.append("(")
          .append(children.size() - shownCount)
          .append(" more entries not shown; use glob to narrow down)\n");
    }
    return ToolResult.ok(out.toString());
  }

  private static String describe(Path child) {
    String name = child.getFileName().toString();
    if (Files.isSymbolicLink(child)) {
      return name + "@";
    }
    if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
      return name + "/";
    }
    try {
      return name + "  (" + Files.size(child) + " bytes)";
    } catch (IOException e) {
      return name;
    }
  }
}
