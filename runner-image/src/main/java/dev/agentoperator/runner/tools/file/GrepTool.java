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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code grep}: lines matching a regular expression in a file or a directory tree. */
public final class GrepTool implements Tool {

  private final ToolSettings settings;

  public GrepTool(ToolSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "grep";
  }

  /** The searched path, so that a policy can confine searches ({@code grep:src/*}). */
  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.optionalString(arguments, "path").orElse(".");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
    String shown = Arguments.optionalString(arguments, "path").orElse(".");
    WorkspacePaths paths = WorkspacePaths.of(context.workspace());
    Path start = paths.resolveForRead(shown);
    if (!Files.exists(start)) {
      throw new ToolException("path not found: " + shown);
    }
    Pattern regex = compile(Arguments.string(arguments, "pattern"), arguments);
    GlobMatcher filter =
        Arguments.optionalString(arguments, "glob").map(GlobMatcher::new).orElse(null);
    Search search = new Search(regex, settings.grepMaxMatches(), settings.readMaxLineChars());
    try {
      List<Path> files =
          Files.isDirectory(start) ? WorkspaceTree.regularFiles(start) : List.of(start);
      for (Path file : files) {
        if (Thread.interrupted()) {
          throw new InterruptedException("grep cancelled");
        }
        boolean wanted =
            filter == null || !Files.isDirectory(start) || filter.matches(start.relativize(file));
        if (wanted && !search.file(file, paths.display(file))) {
          break;
        }
      }
    } catch (InterruptibleText.Cancelled e) {
      throw new InterruptedException("grep cancelled");
    } catch (IOException e) {
      throw new ToolException("cannot search " + shown + ": " + e.getMessage());
    }
    return ToolResult.ok(search.report(shown));
  }

  private static Pattern compile(String pattern, JsonNode arguments) {
    int flags =
        Arguments.flag(arguments, "case_insensitive")
            ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE
            : 0;
    try {
      return Pattern.compile(pattern, flags);
    } catch (PatternSyntaxException e) {
      throw new ToolException(
          "invalid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " of '"
              + pattern
              + "'");
    }
  }

  /** The state of one search: collected lines and whether the match cap was hit. */
  private static final class Search {

    private final Pattern regex;
    private final int maxMatches;
    private final int maxLineChars;
    private final StringBuilder out = new StringBuilder();
    private int matches;
    private int filesWithMatches;
    private int skippedBinary;
    private boolean capped;

    Search(Pattern regex, int maxMatches, int maxLineChars) {
      this.regex = regex;
      this.maxMatches = maxMatches;
      this.maxLineChars = maxLineChars;
    }

    /** Searches one file; false once the match cap is reached. */
    boolean file(Path file, String shown) throws IOException {
      if (TextFiles.looksBinary(file)) {
        skippedBinary++;
        return true;
      }
      boolean found = false;
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
        Matcher matcher = regex.matcher("");
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
          number++;
          if (matcher.reset(new InterruptibleText(line)).find()) {
            if (matches == maxMatches) {
              capped = true;
              return false;
            }
            if (!found) {
              found = true;
              filesWithMatches++;
            }
            matches++;
            out.append(shown)
                .append(':')
                .append(number)
                .append(": ")
                .append(OutputLimit.line(line, maxLineChars))
                .append('\n');
          }
        }
      }
      return true;
    }

    String report(String shown) {
      if (matches == 0) {
        return "no matches for /" + regex.pattern() + "/ in " + shown + binaryNote();
      }
      out.append('(')
          .append(matches)
          .append(" matching line(s) in ")
          .append(filesWithMatches)
          .append(" file(s)");
      if (capped) {
        out.append("; stopped at ").append(maxMatches).append(" matches, narrow the search");
      }
      return out.append(binaryNote()).append(")\n").toString();
    }

    private String binaryNote() {
      return skippedBinary == 0 ? "" : "; " + skippedBinary + " binary file(s) skipped";
    }
  }
}
