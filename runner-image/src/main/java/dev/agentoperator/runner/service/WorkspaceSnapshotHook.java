package dev.agentoperator.runner.service;

import dev.agentoperator.runner.loop.SnapshotHook;
import dev.agentoperator.runner.workspace.SkippedFile;
import dev.agentoperator.runner.workspace.Snapshot;
import dev.agentoperator.runner.workspace.Snapshotter;
import java.util.Optional;
import java.util.function.Function;

/**
 * The loop's snapshot hook over the workspace {@link Snapshotter}; also notes each commit's count
 * and skipped files for the run's {@code snapshot.created} events.
 */
public final class WorkspaceSnapshotHook implements SnapshotHook {

  private final Snapshotter snapshotter;
  private final Function<String, SnapshotNotes> notesOfRun;

  public WorkspaceSnapshotHook(
      Snapshotter snapshotter, Function<String, SnapshotNotes> notesOfRun) {
    this.snapshotter = snapshotter;
    this.notesOfRun = notesOfRun;
  }

  @Override
  public Optional<String> snapshot(String runUid, int step, String message) {
    Optional<Snapshot> snapshot = snapshotter.snapshot(runUid, step, message);
    snapshot.ifPresent(
        made ->
            notesOfRun
                .apply(runUid)
                .record(
                    new SnapshotNotes.Note(
                        made.commitId(),
                        snapshotter.count(),
                        made.skippedForSize().stream().map(SkippedFile::path).toList())));
    return snapshot.map(Snapshot::commitId);
  }
}
