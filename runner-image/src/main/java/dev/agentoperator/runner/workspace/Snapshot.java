package dev.agentoperator.runner.workspace;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A commit of the workspace in the snapshot git dir, with the files that were too large to include.
 *
 * @param commitId the full commit id (40 hex digits)
 * @param skippedForSize files over the size cap, in path order; they are not in the commit
 * @param unreadable files the runner could not open (a permission error), in path order; the commit
 *     keeps their earlier content if an earlier snapshot had them, else leaves them out
 */
public record Snapshot(String commitId, List<SkippedFile> skippedForSize, List<String> unreadable) {

  private static final int NOTE_MAX_FILES = 5;

  public Snapshot {
    skippedForSize = List.copyOf(skippedForSize);
    unreadable = List.copyOf(unreadable);
  }

  /** A snapshot that could read every file. */
  public Snapshot(String commitId, List<SkippedFile> skippedForSize) {
    this(commitId, skippedForSize, List.of());
  }

  /** A one-line note about skipped files for events and logs; empty when none were skipped. */
  public String note() {
    String size = sizeNote();
    if (unreadable.isEmpty()) {
      return size;
    }
    int more = unreadable.size() - NOTE_MAX_FILES;
    return (size.isEmpty() ? "" : size + "; ")
        + "could not read "
        + unreadable.size()
        + (unreadable.size() == 1 ? " file" : " files")
        + ": "
        + String.join(", ", unreadable.subList(0, Math.min(NOTE_MAX_FILES, unreadable.size())))
        + (more > 0 ? " and " + more + " more" : "");
  }

  private String sizeNote() {
    if (skippedForSize.isEmpty()) {
      return "";
    }
    String listed =
        skippedForSize.stream()
            .limit(NOTE_MAX_FILES)
            .map(SkippedFile::toString)
            .collect(Collectors.joining(", "));
    int more = skippedForSize.size() - NOTE_MAX_FILES;
    return "skipped "
        + skippedForSize.size()
        + (skippedForSize.size() == 1 ? " file" : " files")
        + " over the size cap: "
        + listed
        + (more > 0 ? " and " + more + " more" : "");
  }
}
