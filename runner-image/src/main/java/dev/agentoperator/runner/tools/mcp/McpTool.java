package dev.agentoperator.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.OutputLimit;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One tool of an MCP server, offered to the model as {@code mcp__<server>__<tool>} with the
 * server's schema. The runner holds the MCP client, so the call itself is placed in the runner
 * ({@link Placement#RUNNER}); a stdio server's process still runs in the sandbox container. What
 * the server answers is untrusted text: the registry caps it like any tool result.
 */
final class McpTool implements Tool {

  /** How long one call may take. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  /** The most characters of a server's tool description offered to the model. */
  static final int MAX_DESCRIPTION_CHARS = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final McpConnection server;
  private final McpSchema.Tool tool;
  private final String name;
  private final Consumer<String> onDeath;

  /**
   * @param onDeath told once per failed call that the server is gone (the run records it)
   */
  McpTool(McpConnection server, McpSchema.Tool tool, Consumer<String> onDeath) {
    this.server = server;
    this.tool = tool;
    this.name = qualifiedName(server.spec().name(), tool.name());
    this.onDeath = onDeath;
  }

  /** {@code mcp__<server>__<tool>}. */
  static String qualifiedName(String server, String tool) {
    return "mcp__" + server + "__" + tool;
  }

  @Override
  public String name() {
    return name;
  }

  /** The arguments as compact JSON, so {@code mcp__github__create_issue:*"repo":"x"*} can match. */
  @Override
  public String mainArgument(JsonNode arguments) {
    return arguments.toString();
  }

  @Override
  public Optional<JsonNode> ownSchema() {
    ObjectNode schema = JSON.createObjectNode().put("type", "function");
    ObjectNode function = schema.putObject("function").put("name", name);
    String description = tool.description() == null ? "" : tool.description();
    function.put(
        "description",
        "(MCP server " + server.spec().name() + ") " + OutputLimit.line(description, MAX_DESCRIPTION_CHARS));
    JsonNode parameters =
        tool.inputSchema() == null ? null : JSON.valueToTree(tool.inputSchema());
    function.set(
        "parameters",
        parameters != null && parameters.isObject()
            ? parameters
            : JSON.createObjectNode().put("type", "object"));
    return Optional.of(schema);
  }

  @Override
  public Placement placement() {
    return Placement.RUNNER;
  }

  @Override
  public Duration timeLimit(JsonNode arguments) {
    return CALL_TIMEOUT;
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Map<String, Object> args = JSON.convertValue(arguments, Map.class);
    McpSchema.CallToolResult result;
    try {
      result = server.call(tool.name(), args, CALL_TIMEOUT);
    } catch (McpUnavailableException e) {
      String message = "MCP server " + server.spec().name() + ": " + e.getMessage();
      if (server.deathReason() != null) {
        onDeath.accept(message);
        message += "; its tools cannot be used for the rest of this run";
      }
      return ToolResult.error(message);
    }
    String text = McpContent.text(result);
    return Boolean.TRUE.equals(result.isError()) ? ToolResult.error(text) : ToolResult.ok(text);
  }
}
