package dev.agentoperator.runner.tools.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.WorkspacePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code write_file}: creates or replaces a whole file, creating parent directories. */
public final class WriteFileTool implements Tool {

  @Override
  public String name() {
    return "write_file";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.string(arguments, "path");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    String shown = Arguments.string(arguments, "path");
    String content = Arguments.string(arguments, "content");
    Path file = WorkspacePaths.of(context.workspace()).resolveForWrite(shown);
    if (Files.isDirectory(file)) {
      throw new ToolException(shown + " is a directory; give a file path");
    }
    boolean existed = Files.exists(file);
    try {
      TextFiles.write(file, content);
    } catch (IOException e) {
      throw new ToolException("cannot write " + shown + ": " + e.getMessage());
    }
    int bytes = content.getBytes(StandardCharsets.UTF_8).length;
    return ToolResult.ok(
        (existed ? "Replaced " : "Created ")
            + shown
            + " ("
            + bytes
            + " bytes, "
            + TextFiles.lineCount(content)
            + " lines)");
  }
}
