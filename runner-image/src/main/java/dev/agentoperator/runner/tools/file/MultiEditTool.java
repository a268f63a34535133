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

/**
 * {@code multi_edit}: several replacements in one file, applied in memory in order and written only
 * when all succeeded, so the file is never left half-edited.
 */
public final class MultiEditTool implements Tool {

  @Override
  public String name() {
    return "multi_edit";
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
    JsonNode edits = arguments.get("edits");
    int replaced = 0;
    for (int i = 0; i < edits.size(); i++) {
      JsonNode edit = edits.get(i);
      TextReplacement replacement =
          new TextReplacement(
              Arguments.string(edit, "old_string"),
              Arguments.string(edit, "new_string"),
              Arguments.flag(edit, "replace_all"));
      String where = shown + ", edit " + (i + 1) + " of " + edits.size();
      try {
        TextReplacement.Outcome outcome = replacement.applyTo(content, where);
        content = outcome.content();
        replaced += outcome.replaced();
      } catch (ToolException e) {
        throw new ToolException(e.getMessage() + ". No edit was applied; the file is unchanged.");
      }
    }
    try {
      TextFiles.write(file, content);
    } catch (IOException e) {
      throw new ToolException("cannot write " + shown + ": " + e.getMessage());
    }
    return ToolResult.ok(
        "Edited "
            + shown
            + ": applied "
            + edits.size()
            + " edit(s), replaced "
            + replaced
            + " occurrence(s)");
  }
}
