package dev.agentoperator.runner.workspace;

/** A snapshot or restore failed; the message says what and where, for the run's status. */
public class SnapshotException extends RuntimeException {

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
