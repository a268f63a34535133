package dev.agentoperator.runner.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.loop.CheckedCall;
import dev.agentoperator.runner.loop.RegistryToolBox;
import dev.agentoperator.runner.loop.ToolBox;
import dev.agentoperator.runner.sandbox.SandboxExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.mcp.McpRunServers;
import dev.agentoperator.runner.tools.mcp.McpServerSpec;
import java.time.Duration;
import java.util.List;

/**
 * A run's tools when its session has MCP servers: the standard tools plus each server's, which are
 * started at the run's first model call (on the run's own thread, so a slow server never holds up
 * the API's start answer) and closed when the run ends.
 */
final class McpRunToolBox implements ToolBox, AutoCloseable {

  /** How long one server may take to start, initialize and list its tools. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final ToolRegistry base;
  private final SandboxExecutor sandbox;
  private final List<McpServerSpec> servers;
  private final EventLog events;
  private volatile RegistryToolBox current;
  private McpRunServers started;
  private boolean closed;

  McpRunToolBox(
      ToolRegistry base, SandboxExecutor sandbox, List<McpServerSpec> servers, EventLog events) {
    this.base = base;
    this.sandbox = sandbox;
    this.servers = servers;
    this.events = events;
    this.current = new RegistryToolBox(base, sandbox);
  }

  @Override
  public List<JsonNode> schemas() {
    return connected().schemas();
  }

  @Override
  public CheckedCall prepare(String toolName, String rawArgumentsJson) {
    // The skill listing before the first step needs no MCP server; a call of one needs them.
    ToolBox tools = toolName != null && toolName.startsWith("mcp__") ? connected() : current;
    return tools.prepare(toolName, rawArgumentsJson);
  }

  @Override
  public boolean mayChangeFiles(String toolName) {
    return current.mayChangeFiles(toolName);
  }

  private synchronized ToolBox connected() {
    if (started == null && !closed) {
      try {
        started =
            McpRunServers.start(
                servers, sandbox, START_TIMEOUT, (type, data) -> events.append(type, data));
      } catch (InterruptedException e) {
        // Cancelled while starting: the loop sees the interrupt at its next check.
        Thread.currentThread().interrupt();
        started = McpRunServers.none();
      }
      current = new RegistryToolBox(base.withTools(started.tools()), sandbox);
    }
    return current;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (started != null) {
      started.close();
    }
  }
}
