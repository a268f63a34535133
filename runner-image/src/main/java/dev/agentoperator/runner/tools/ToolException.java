package dev.agentoperator.runner.tools;

/**
 * A problem with a tool call that the model can fix (a missing file, an ambiguous edit, a path
 * outside the workspace). Its message is written for the model and becomes the tool's error result.
 */
public final class ToolException extends RuntimeException {

  public ToolException(String message) {
    super(message);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
