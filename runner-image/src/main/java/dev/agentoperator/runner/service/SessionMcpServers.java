package dev.agentoperator.runner.service;

import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.sandbox.SandboxExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.mcp.McpServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session's MCP servers (from {@code AGENT_MCP_SERVERS}) and what a run needs to reach them: a
 * run gets all of them, or the ones its request's {@code mcpServers} names.
 */
public record SessionMcpServers(List<McpServerSpec> servers, ToolRegistry base, SandboxExecutor sandbox) {

  static SessionMcpServers none() {
    return new SessionMcpServers(List.of(), null, null);
  }

  /** Checks a request's narrowing, or throws a 400 naming the unknown server. */
  List<McpServerSpec> selected(List<String> names) {
    if (names == null) {
      return servers;
    }
    List<McpServerSpec> selected = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Optional<McpServerSpec> server =
          servers.stream().filter(s -> s.name().equals(name)).findFirst();
      if (server.isEmpty()) {
        throw ApiException.badRequest(
            "field 'mcpServers["
                + i
                + "]' names '"
                + Abbreviate.line(String.valueOf(name), 64)
                + "', which is not an MCP server of this session"
                + (servers.isEmpty()
                    ? " (it has none)"
                    : " (it has: "
                        + String.join(", ", servers.stream().map(McpServerSpec::name).toList())
                        + ")"));
      }
      if (!selected.contains(server.get())) {
        selected.add(server.get());
      }
    }
    return selected;
  }

  /** The run's tool box with its servers' tools, or empty when the run gets no server. */
  Optional<McpRunToolBox> forRun(List<String> names, EventLog events) {
    List<McpServerSpec> selected = selected(names);
    return selected.isEmpty()
        ? Optional.empty()
        : Optional.of(new McpRunToolBox(base, sandbox, selected, events));
  }
}
