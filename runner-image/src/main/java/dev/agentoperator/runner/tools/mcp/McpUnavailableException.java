package dev.agentoperator.runner.tools.mcp;

/** An MCP server that cannot serve: it did not start, died, or did not answer in time. */
final class McpUnavailableException extends Exception {

  McpUnavailableException(String message) {
    super(message);
  }
}
