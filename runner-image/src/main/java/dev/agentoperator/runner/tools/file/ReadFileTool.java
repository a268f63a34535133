package dev.agentoperator.runner.tools.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.OutputLimit;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.WorkspacePaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code read_file}: numbered lines of a text file, a window at a time. */
public final class ReadFileTool implements Tool {

  private static final int FOOTER_RESERVE = 200;

  private final ToolSettings settings;

  public ReadFileTool(ToolSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "read_file";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.string(arguments, "path");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    String shown = Arguments.string(arguments, "path");
    Path file = WorkspacePaths.of(context.workspace()).resolveForRead(shown);
    TextFiles.requireFile(file, shown);
    long offset = Arguments.optionalLong(arguments, "offset").orElse(1L);
    long limit =
        Math.min(
            Arguments.optionalLong(arguments, "limit").orElse((long) settings.readMaxLines()),
            settings.readMaxLines());
    try {
      if (TextFiles.looksBinary(file)) {
        throw new ToolException(
            shown
                + " is a binary file ("
                + Files.size(file)
                + " bytes); it cannot be shown as text");
      }
      return ToolResult.ok(window(file, shown, offset, limit));
    } catch (IOException e) {
      throw new ToolException("cannot read " + shown + ": " + e.getMessage());
    }
  }

  private String window(Path file, String shown, long offset, long limit) throws IOException {
    StringBuilder out = new StringBuilder();
    // Stop on a line boundary before the registry's result cap would cut the middle out.
    int budget = Math.max(settings.resultCapChars() - FOOTER_RESERVE, 1);
    boolean full = false;
    long total = 0;
    long last = offset - 1;
    // Malformed bytes become U+FFFD here: reading must not fail on a stray Latin-1 byte.
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        total++;
        if (!full && total >= offset && total < offset + limit) {
          String numbered =
              String.format("%6d\t", total)
                  + OutputLimit.line(line, settings.readMaxLineChars())
                  + "\n";
          if (out.length() + numbered.length() > budget && last >= offset) {
            full = true;
            continue;
          }
          out.append(numbered);
          last = total;
        }
      }
    }
    if (total == 0) {
      return "(" + shown + " is empty)";
    }
    if (offset > total) {
      throw new ToolException(
          "offset " + offset + " is past the end of " + shown + ", which has " + total + " lines");
    }
    if (offset > 1 || last < total) {
      out.append("(lines ").append(offset).append('-').append(last).append(" of ").append(total);
      if (last < total) {
        out.append("; call read_file with offset=").append(last + 1).append(" to read on");
      }
      out.append(")\n");
    }
    return out.toString();
  }
}
