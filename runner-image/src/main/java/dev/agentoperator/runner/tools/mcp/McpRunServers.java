package dev.agentoperator.runner.tools.mcp;

import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.runner.sandbox.SandboxExecutor;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolEvents;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP servers of one run, started together at its first model call and closed when it ends
 * (a stdio server's process dies with its relay). A server that cannot start costs the run its
 * tools, never the run: it is recorded as an {@code mcp.server.failed} event (the summary's
 * message then names it) and the model is told in the tool list, as is a server that dies later
 * (the failing call's error says so).
 */
public final class McpRunServers implements AutoCloseable {

  /** The most tools offered from one server. */
  static final int MAX_TOOLS_PER_SERVER = 64;

  /** The most characters of one tool's schema (its input schema is the server's, untrusted). */
  static final int MAX_SCHEMA_CHARS = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(McpRunServers.class);
  // OpenAI-compatible function names: letters, digits, '_' and '-', at most 64.
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final List<McpConnection> connections;
  private final List<Tool> tools;

  private McpRunServers(List<McpConnection> connections, List<Tool> tools) {
    this.connections = connections;
    this.tools = tools;
  }

  /** No servers, no tools. */
  public static McpRunServers none() {
    return new McpRunServers(List.of(), List.of());
  }

  /**
   * Starts every server in parallel, each within {@code startTimeout}; the ones that fail are
   * reported through {@code events} and left out.
   */
  public static McpRunServers start(
      List<McpServerSpec> servers,
      SandboxExecutor sandbox,
      Duration startTimeout,
      ToolEvents events)
      throws InterruptedException {
    List<McpConnection> connections = Collections.synchronizedList(new ArrayList<>());
    List<Thread> starters = new ArrayList<>();
    for (McpServerSpec spec : servers) {
      starters.add(
          Thread.ofVirtual()
              .name("mcp-start-" + spec.name())
              .start(
                  () -> {
                    try {
                      connections.add(McpConnection.open(spec, sandbox, startTimeout));
                    } catch (McpUnavailableException e) {
                      failed(
                          events,
                          spec,
                          (spec.stdio() != null ? spec.stdio().command() + ": " : "")
                              + e.getMessage());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                      // a fault of ours or the SDK's still costs only this server's tools, and
                      // is reported like any other reason it could not start
                      LOG.warn("MCP server {} failed to start", spec.name(), e);
                      failed(
                          events,
                          spec,
                          (spec.stdio() != null ? spec.stdio().command() + ": " : "")
                              + "it could not be started: "
                              + e);
                    }
                  }));
    }
    try {
      for (Thread starter : starters) {
        starter.join();
      }
    } catch (InterruptedException e) {
      starters.forEach(Thread::interrupt);
      connections.forEach(McpConnection::close);
      throw e;
    }
    List<McpConnection> started = new ArrayList<>(connections);
    started.sort((a, b) -> a.spec().name().compareTo(b.spec().name()));
    Set<String> reported = ConcurrentHashMap.newKeySet();
    List<Tool> tools = new ArrayList<>();
    for (McpConnection connection : started) {
      McpServerSpec spec = connection.spec();
      List<String> skipped = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (McpSchema.Tool tool : connection.tools()) {
        String name = McpTool.qualifiedName(spec.name(), String.valueOf(tool.name()));
        McpTool candidate =
            new McpTool(
                connection,
                tool,
                message -> {
                  if (reported.add(spec.name())) {
                    failed(events, spec, message);
                  }
                });
        if (tool.name() == null || !FUNCTION_NAME.matcher(name).matches() || !names.add(name)) {
          skipped.add(String.valueOf(tool.name()) + " (not a usable function name)");
        } else if (names.size() > MAX_TOOLS_PER_SERVER) {
          skipped.add(tool.name() + " (more than " + MAX_TOOLS_PER_SERVER + " tools)");
        } else if (candidate.ownSchema().orElseThrow().toString().length() > MAX_SCHEMA_CHARS) {
          skipped.add(tool.name() + " (schema larger than " + MAX_SCHEMA_CHARS + " characters)");
        } else {
          tools.add(candidate);
        }
      }
      LOG.info(
          "MCP server {} ({}) ready with {} tools{}",
          spec.name(),
          spec.transport(),
          connection.tools().size() - skipped.size(),
          skipped.isEmpty() ? "" : "; left out: " + String.join(", ", skipped));
    }
    return new McpRunServers(List.copyOf(started), List.copyOf(tools));
  }

  private static void failed(ToolEvents events, McpServerSpec spec, String message) {
    LOG.warn("MCP server {} ({}) unavailable: {}", spec.name(), spec.transport(), message);
    events.emit(new EventData.McpServerFailed(spec.name(), spec.transport(), message));
  }

  /** The tools of the servers that started, {@code mcp__<server>__<tool>}. */
  public List<Tool> tools() {
    return tools;
  }

  @Override
  public void close() {
    connections.forEach(McpConnection::close);
  }
}
