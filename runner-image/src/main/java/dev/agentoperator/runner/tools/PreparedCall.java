package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A tool call checked against its schema: either valid (its tool, parsed arguments and the main
 * argument the policy matches) or rejected with an error result that tells the model what to fix.
 */
public final class PreparedCall {

  private final String toolName;
  private final Tool tool;
  private final JsonNode arguments;
  private final String mainArgument;
  private final ToolResult rejection;

  private PreparedCall(
      String toolName, Tool tool, JsonNode arguments, String mainArgument, ToolResult rejection) {
    this.toolName = toolName;
    this.tool = tool;
    this.arguments = arguments;
    this.mainArgument = mainArgument;
    this.rejection = rejection;
  }

  static PreparedCall valid(Tool tool, JsonNode arguments) {
    String main;
    try {
      main = Objects.requireNonNullElse(tool.mainArgument(arguments), "");
    } catch (RuntimeException e) {
      // Preparing never throws; the policy then matches the call by tool name alone.
      main = "";
    }
    return new PreparedCall(tool.name(), tool, arguments, main, null);
  }

  static PreparedCall rejected(String toolName, String message) {
    return new PreparedCall(toolName, null, null, "", ToolResult.error(message));
  }

  public boolean isValid() {
    return rejection == null;
  }

  /** The name the model called, even when no such tool exists. */
  public String toolName() {
    return toolName;
  }

  /** The tool; only for a valid call. */
  public Tool tool() {
    requireValid();
    return tool;
  }

  /** The parsed arguments; only for a valid call. */
  public JsonNode arguments() {
    requireValid();
    return arguments;
  }

  /** What policy patterns match ({@code shell:git push*}); empty for a rejected call. */
  public String mainArgument() {
    return mainArgument;
  }

  /** The error result to send back to the model; only for a rejected call. */
  public ToolResult rejection() {
    if (rejection == null) {
      throw new IllegalStateException("call to " + toolName + " is valid");
    }
    return rejection;
  }

  private void requireValid() {
    if (rejection != null) {
      throw new IllegalStateException(
          "call to " + toolName + " was rejected: " + rejection.content());
    }
  }

  @Override
  public String toString() {
    return isValid()
        ? "PreparedCall[" + toolName + " " + arguments + "]"
        : "PreparedCall[" + toolName + " rejected: " + rejection.content() + "]";
  }
}
