package dev.agentoperator.runner.tools;

/**
 * Runs a valid {@link PreparedCall}: in this process, or in the sandbox container through {@link
 * dev.agentoperator.runner.sandbox.SandboxExecutor}. A problem the model can act on is an error
 * result; cancellation interrupts the calling thread.
 */
@FunctionalInterface
public interface ToolExecutor {

  ToolResult execute(PreparedCall call, ToolContext context) throws Exception;
}
