package dev.agentoperator.runner.workspace;

/** Preparing the workspace failed; the message is free of credentials. */
public final class WorkspaceInitException extends RuntimeException {

  public WorkspaceInitException(String message) {
    super(message);
  }
}
