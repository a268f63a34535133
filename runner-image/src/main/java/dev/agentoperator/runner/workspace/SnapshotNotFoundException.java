package dev.agentoperator.runner.workspace;

/** The commit asked for is malformed or is not a snapshot in the snapshot git dir. */
public final class SnapshotNotFoundException extends SnapshotException {

  public SnapshotNotFoundException(String message) {
    super(message);
  }
}
