package dev.agentoperator.runner.tools.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.WorkspacePaths;
import java.io.IOException;
import java.nio.file.Path;

/** {@code edit_file}: replaces an exact, unique piece of text in a file. */
public final class EditFileTool implements Tool {

  @Override
  public String name() {
    return "edit_file";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.string(arguments, "path");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    String shown = Arguments.string(arguments, "path");
    Path file = WorkspacePaths.of(context.workspace()).resolveForWrite(shown);
    String content = TextFiles.readForEdit(file, shown);
    TextReplacement replacement =
        new TextReplacement(
            Arguments.string(arguments, "old_string"),
            Arguments.string(arguments, "new_string"),
            Arguments.flag(arguments, "replace_all"));
    TextReplacement.Outcome outcome = replacement.applyTo(content, shown);
    try {
      TextFiles.write(file, outcome.content());
    } catch (IOException e) {
      throw new ToolException("cannot write " + shown + ": " + e.getMessage());
    }
    return ToolResult.ok("Edited " + shown + ": replaced " + outcome.replaced() + " occurrence(s)");
  }
}
