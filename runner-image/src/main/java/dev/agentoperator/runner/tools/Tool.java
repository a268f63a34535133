package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A tool the model can call. Its contract (name, description, JSON schema of the arguments) is
 * data in {@code spec/tools/<name>.json}; an implementation only executes calls.
 */
public interface Tool {

  /** How long a call may take when its tool names no bound of its own. */
  Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(60);

  /**
   * Where a call runs. The agent is untrusted, so anything that reads or writes the workspace, runs
   * a program or reaches the network runs in the sandbox container; only tools that keep the run's
   * own records (its todo list) or publish with the session's credentials (git_push,
   * open_pull_request, which run nothing from the workspace) run in the runner.
   */
  enum Placement {
    SANDBOX,
    RUNNER
  }

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

  /**
   * What a person asked to approve this call reads after the tool's name; the main argument unless
   * the tool can say more. Only {@link Placement#RUNNER} tools are asked (the runner must not run
   * sandbox code to describe a call); it must not throw.
   */
  default String approvalSummary(JsonNode arguments, ToolContext context) {
    return mainArgument(arguments);
  }

  /**
   * Whether the model is offered this tool's schema. A tool the session has not configured (e.g.
   * git_push without a push remote) stays registered, so a call still gets a clear error, but is
   * not offered: its schema would only cost context and invite calls that cannot work.
   */
  default boolean offered() {
    return true;
  }

  /**
   * The tool's schema ({@code {"type":"function","function":{...}}}) when it is not a file in
   * {@code spec/tools/}: tools learnt at run time (an MCP server's) bring their own. Empty for the
   * standard tools.
   */
  default Optional<JsonNode> ownSchema() {
    return Optional.empty();
  }

  /** Where this tool's calls run; {@link Placement#SANDBOX} unless the tool says otherwise. */
  default Placement placement() {
    return Placement.SANDBOX;
  }

  /**
   * The longest one call with these arguments may take; past it (plus a grace) the runner stops
   * waiting for the sandbox and returns a tool error. Tools with their own timeout report it.
   */
  default Duration timeLimit(JsonNode arguments) {
    return DEFAULT_TIME_LIMIT;
  }
}
