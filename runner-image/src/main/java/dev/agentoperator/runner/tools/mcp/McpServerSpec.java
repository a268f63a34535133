package dev.agentoperator.runner.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.contract.runner.RunnerEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One MCP server of the session, as the operator passes it in {@code AGENT_MCP_SERVERS}: either
 * {@code stdio} (a command the sandbox container's executor starts) or {@code http} (a Streamable
 * HTTP endpoint the runner calls, with headers read from files in {@code headersDir}, the
 * session's Secret mounted in the runner container only).
 */
public record McpServerSpec(String name, Stdio stdio, Http http) {

  /** The environment variable that carries the session's servers as a JSON array. */
  public static final String ENV = RunnerEnv.MCP_SERVERS;

  /** Server names: DNS-label-like, so {@code mcp__<server>__<tool>} stays a valid function name. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");

  /** A command started in the sandbox container; its stdin and stdout carry JSON-RPC. */
  public record Stdio(String command, List<String> args, Map<String, String> env) {}

  /** A Streamable HTTP endpoint; {@code headersDir} holds one file per header (may be null). */
  public record Http(String url, Path headersDir) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses {@code AGENT_MCP_SERVERS}; blank means none. A wrong value is an {@link
   * IllegalArgumentException} naming the server and field, so the runner refuses to start.
   */
  public static List<McpServerSpec> parse(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(ENV + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(ENV + " must be a JSON array of servers");
    }
    List<McpServerSpec> servers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode node : root) {
      String name = node.path("name").asText("");
      String where = ENV + " server '" + name + "'";
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            where + ": name must be lower-case letters, digits and '-' (at most 32)");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException(where + " is listed twice");
      }
      boolean hasStdio = node.hasNonNull("stdio");
      boolean hasHttp = node.hasNonNull("http");
      if (hasStdio == hasHttp) {
        throw new IllegalArgumentException(where + ": give exactly one of stdio and http");
      }
      if (hasStdio) {
        JsonNode s = node.get("stdio");
        String command = s.path("command").asText("");
        if (command.isBlank()) {
          throw new IllegalArgumentException(where + ": stdio.command is required");
        }
        List<String> args = new ArrayList<>();
        s.path("args").forEach(a -> args.add(a.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        s.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        servers.add(new McpServerSpec(name, new Stdio(command, List.copyOf(args), env), null));
      } else {
        JsonNode h = node.get("http");
        String url = h.path("url").asText("");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
          throw new IllegalArgumentException(where + ": http.url must be an http(s) URL");
        }
        String dir = h.path("headersDir").asText("");
        servers.add(
            new McpServerSpec(name, null, new Http(url, dir.isBlank() ? null : Path.of(dir))));
      }
    }
    return List.copyOf(servers);
  }

  /** {@code stdio} or {@code http}, for messages and events. */
  public String transport() {
    return stdio != null ? "stdio" : "http";
  }
}
