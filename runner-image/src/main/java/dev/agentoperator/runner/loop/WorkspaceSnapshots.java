package dev.agentoperator.runner.loop;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the run's workspace snapshots (after a step that may have changed files, at the end) and
 * records each as {@code snapshot.created}. A failed snapshot is logged, never fatal: the run's
 * work is in the workspace either way.
 */
final class WorkspaceSnapshots {

  private static final Logger LOG = LoggerFactory.getLogger(WorkspaceSnapshots.class);

  private final SnapshotHook hook;
  private final String runUid;
  private final LoopEvents events;

  WorkspaceSnapshots(SnapshotHook hook, String runUid, LoopEvents events) {
    this.hook = hook;
    this.runUid = runUid;
    this.events = events;
  }

  void take(int step, String message) throws InterruptedException {
    Optional<String> commit;
    try {
      commit = hook.snapshot(runUid, step, message);
    } catch (RuntimeException e) {
      LOG.warn("snapshot of run {} at step {} failed", runUid, step, e);
      return;
    }
    commit.ifPresent(id -> events.snapshotCreated(step, id, message));
  }
}
