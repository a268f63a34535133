package dev.agentoperator.runner.loop;

import java.util.Optional;

/**
 * Records the workspace after a step that may have changed files and at the end of every run;
 * returns the snapshot's commit id when one was made (nothing when nothing changed).
 */
@FunctionalInterface
public interface SnapshotHook {

  SnapshotHook NONE = (runUid, step, message) -> Optional.empty();

  Optional<String> snapshot(String runUid, int step, String message) throws InterruptedException;
}
