package dev.agentoperator.runner.tools.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.WorkspacePaths;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code apply_patch}: applies a unified diff with java-diff-utils. Every file's new content is
 * computed in memory first; only when every hunk of every file applies are the files written, and
 * if a write fails the files already written are restored.
 */
public final class ApplyPatchTool implements Tool {

  private static final String DEV_NULL = "/dev/null";

  @Override
  public String name() {
    return "apply_patch";
  }

  /** The paths the patch touches, space separated, so {@code apply_patch:src/*} can match. */
  @Override
  public String mainArgument(JsonNode arguments) {
    Set<String> paths = new LinkedHashSet<>();
    for (String line : Arguments.string(arguments, "patch").split("\n")) {
      if (line.startsWith("--- ") || line.startsWith("+++ ")) {
        String path = headerPath(line.substring(4));
        if (path != null) {
          paths.add(path);
        }
      }
    }
    return String.join(" ", paths);
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    String patchText = Arguments.string(arguments, "patch");
    WorkspacePaths paths = WorkspacePaths.of(context.workspace());
    List<UnifiedDiffFile> sections = parse(patchText);
    PendingFiles pending = new PendingFiles(paths);
    List<String> summary = new ArrayList<>();
    for (UnifiedDiffFile section : sections) {
      summary.add(applySection(section, pending));
    }
    pending.commit();
    return ToolResult.ok("Applied patch:\n" + String.join("\n", summary));
  }

  private static List<UnifiedDiffFile> parse(String patchText) {
    String text = patchText.endsWith("\n") ? patchText : patchText + "\n";
    UnifiedDiff diff;
    try {
      diff =
          UnifiedDiffReader.parseUnifiedDiff(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      throw new ToolException("the patch is not a valid unified diff: " + e.getMessage());
    }
    List<UnifiedDiffFile> files =
        diff.getFiles().stream()
            .filter(f -> f.getFromFile() != null || f.getToFile() != null)
            .toList();
    if (files.isEmpty()) {
      throw new ToolException(
          "the patch contains no file sections; each file needs '--- a/<path>' and '+++ b/<path>'"
              + " lines followed by '@@ ... @@' hunks");
    }
    return files;
  }

  private String applySection(UnifiedDiffFile section, PendingFiles pending) {
    String from = headerPath(section.getFromFile());
    String to = headerPath(section.getToFile());
    if (from == null && to == null) {
      throw new ToolException("a file section names /dev/null on both sides; nothing to patch");
    }
    String source = from != null ? from : to;
    Optional<FileText> before = from == null ? Optional.empty() : pending.read(from);
    if (from != null && before.isEmpty()) {
      throw new ToolException(
          "file not found: "
              + from
              + ". No file was changed. To create a file use '--- /dev/null'");
    }
    if (from == null && pending.read(to).isPresent()) {
      throw new ToolException(
          "the patch creates " + to + ", which already exists. No file was changed");
    }
    FileText original = before.orElse(FileText.NEW_FILE);
    List<String> patched = patchLines(section.getPatch(), original.lines(), source);
    if (to == null) {
      pending.delete(from);
      return "deleted " + from;
    }
    boolean finalNewline =
        from == null ? !section.isNoNewLineAtTheEndOfTheFile() : original.finalNewline();
    pending.write(to, new FileText(patched, original.crlf(), finalNewline || patched.isEmpty()));
    if (from == null) {
      return "created " + to;
    }
    if (!from.equals(to)) {
      pending.delete(from);
      return "renamed " + from + " to " + to;
    }
    return "modified " + to + " (" + section.getPatch().getDeltas().size() + " hunk(s))";
  }

  private static List<String> patchLines(Patch<String> patch, List<String> lines, String file) {
    try {
      return patch.applyTo(lines);
    } catch (PatchFailedException | RuntimeException exact) {
      // Models often get line numbers slightly wrong; with fuzz 0 every context line must still
      // match, only the position may move (as GNU patch does).
      try {
        return patch.applyFuzzy(lines, 0);
      } catch (PatchFailedException | RuntimeException fuzzy) {
        throw new ToolException(failedHunk(patch, lines, file) + ". No file was changed");
      }
    }
  }

  /** Names the first hunk that does not apply on its own, with the line it expected. */
  private static String failedHunk(Patch<String> patch, List<String> lines, String file) {
    List<AbstractDelta<String>> deltas = patch.getDeltas();
    for (int i = 0; i < deltas.size(); i++) {
      Patch<String> single = new Patch<>();
      single.addDelta(deltas.get(i));
      try {
        single.applyFuzzy(lines, 0);
      } catch (PatchFailedException | RuntimeException e) {
        AbstractDelta<String> delta = deltas.get(i);
        List<String> expected = delta.getSource().getLines();
        return "hunk "
            + (i + 1)
            + " of "
            + file
            + " does not apply: the lines it expects at line "
            + (delta.getSource().getPosition() + 1)
            + (expected.isEmpty() ? "" : " (starting with '" + expected.get(0).strip() + "')")
            + " are not in the file; read the file and regenerate the patch";
      }
    }
    return "the hunks of " + file + " do not apply together (they overlap or are out of order)";
  }

  /** The path of a {@code ---}/{@code +++} header without its {@code a/}/{@code b/} prefix. */
  static String headerPath(String header) {
    if (header == null) {
      return null;
    }
    String path = header.strip();
    int tab = path.indexOf('\t');
    if (tab >= 0) {
      path = path.substring(0, tab).strip();
    }
    if (path.isEmpty() || path.equals(DEV_NULL)) {
      return null;
    }
    if (path.startsWith("a/") || path.startsWith("b/")) {
      path = path.substring(2);
    }
    return path;
  }

  /** A text file as lines plus the line-end style needed to write it back unchanged. */
  record FileText(List<String> lines, boolean crlf, boolean finalNewline) {

    static final FileText NEW_FILE = new FileText(List.of(), false, true);

    static FileText of(String content) {
      boolean crlf = content.contains("\r\n");
      String normalized = crlf ? content.replace("\r\n", "\n") : content;
      boolean finalNewline = normalized.endsWith("\n");
      if (normalized.isEmpty()) {
        return new FileText(List.of(), false, true);
      }
      String body = finalNewline ? normalized.substring(0, normalized.length() - 1) : normalized;
      return new FileText(List.of(body.split("\n", -1)), crlf, finalNewline);
    }

    String content() {
      if (lines.isEmpty()) {
        return "";
      }
      String separator = crlf ? "\r\n" : "\n";
      return String.join(separator, lines) + (finalNewline ? separator : "");
    }
  }

  /** The files a patch changes, held in memory until every section applied. */
  private static final class PendingFiles {

    private final WorkspacePaths paths;
    private final Map<Path, Optional<FileText>> changes = new LinkedHashMap<>();

    PendingFiles(WorkspacePaths paths) {
      this.paths = paths;
    }

    Optional<FileText> read(String shown) {
      Path file = paths.resolveForWrite(shown);
      if (changes.containsKey(file)) {
        return changes.get(file);
      }
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      return Optional.of(FileText.of(TextFiles.readForEdit(file, shown)));
    }

    void write(String shown, FileText text) {
      Path file = paths.resolveForWrite(shown);
      changes.put(file, Optional.of(text));
    }

    void delete(String shown) {
      Path file = paths.resolveForWrite(shown);
      changes.put(file, Optional.empty());
    }

    /** Writes every change; on a failure restores what was already written. */
    void commit() {
      Map<Path, byte[]> originals = new LinkedHashMap<>();
      try {
        for (Map.Entry<Path, Optional<FileText>> change : changes.entrySet()) {
          Path file = change.getKey();
          originals.put(file, Files.exists(file) ? Files.readAllBytes(file) : null);
          if (change.getValue().isPresent()) {
            TextFiles.write(file, change.getValue().get().content());
          } else {
            Files.deleteIfExists(file);
          }
        }
      } catch (IOException e) {
        restore(originals);
        throw new ToolException(
            "cannot write the patched files ("
                + e.getMessage()
                + "); every file was restored to its state before the patch");
      }
    }

    private static void restore(Map<Path, byte[]> originals) {
      for (Map.Entry<Path, byte[]> original : originals.entrySet()) {
        try {
          if (original.getValue() == null) {
            Files.deleteIfExists(original.getKey());
          } else {
            Files.createDirectories(original.getKey().getParent());
            Files.write(original.getKey(), original.getValue());
          }
        } catch (IOException ignored) {
          // Best effort: the error message already tells the model the write failed.
        }
      }
    }
  }
}
