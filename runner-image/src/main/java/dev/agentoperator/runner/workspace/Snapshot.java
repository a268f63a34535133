package dev.agentoperator.runner.workspace;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A commit of the workspace in the snapshot git dir, with the files that were too large to include.
 *
 * @param commitId the full commit id (40 hex digits)
 * @param skippedForSize files over the size cap, in path order; they are not in the commit
 */
public record Snapshot(String commitId, List<SkippedFile> skippedForSize) {

  private static final int NOTE_MAX_FILES = 5;

  public Snapshot {
    skippedForSize = List.copyOf(skippedForSize);
  }

  /** A one-line note about skipped files for events and logs; empty when none were skipped. */
  public String note() {
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
