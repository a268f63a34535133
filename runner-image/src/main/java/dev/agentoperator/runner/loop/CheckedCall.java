package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.Optional;

/** A tool call after its schema check: rejected with an error for the model, or executable. */
public interface CheckedCall {

  String toolName();

  /** What policy patterns match, e.g. the command of {@code shell}; empty when rejected. */
  String mainArgument();

  /**
   * What a person approving the call should see after the tool's name: the main argument, or
   * more where the tool can tell it (git_push names the branch, its commit and the remote).
   */
  default String approvalSummary(ToolContext context) {
    return mainArgument();
  }

  /** The error result for the model when the call is malformed or names no tool. */
  Optional<ToolResult> rejection();

  /** Runs the call; cancellation interrupts the calling thread. */
  ToolResult execute(ToolContext context) throws InterruptedException;
}
