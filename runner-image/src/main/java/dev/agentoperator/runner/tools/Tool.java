package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the model can call. Its contract (name, description, JSON schema of the arguments) is
 * data in {@code spec/tools/<name>.json}; an implementation only executes calls.
 */
public interface Tool {

  /** The function name, equal to the {@code function.name} of its schema file. */
  String name();

  /**
   * The argument that policy patterns match, e.g. the command of {@code shell} or the path of
   * {@code write_file}: {@code shell:git push*} is matched against it. Empty when the tool has none.
   */
  String mainArgument(JsonNode arguments);

  /**
   * Executes one call whose arguments already passed the schema check. A problem the model can fix
   * (missing file, no unique match, path outside the workspace) is a {@link ToolResult#error}, never
   * an exception. Cancellation interrupts the calling thread: a tool that waits (a shell process, a
   * fetch) stops its work and throws {@link InterruptedException}.
   */
  ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException;
}
