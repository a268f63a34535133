package dev.agentoperator.operator.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The session's MCP servers in the sandbox pod: {@code AGENT_MCP_SERVERS} (JSON) for the runner,
 * which holds the MCP clients, and each http server's header Secret mounted read-only at {@code
 * /etc/agent/mcp-headers/<server>} in the runner container only. Stdio servers need nothing in the
 * pod: the runner asks the sandbox container's executor to start them.
 */
final class SandboxMcpServers {

  static final String ENV = RunnerEnv.MCP_SERVERS;
  static final String HEADERS_DIR = "/etc/agent/mcp-headers";
  private static final String VOLUME_PREFIX = "mcp-headers-";
  private static final int READ_ONLY_FOR_OWNER_AND_GROUP = 0440;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxMcpServers() {}

  /** The runner's {@code AGENT_MCP_SERVERS}, absent when the session has no server. */
  static Optional<EnvVar> runnerEnv(AgentSession session) {
    List<McpServer> servers = servers(session);
    if (servers.isEmpty()) {
      return Optional.empty();
    }
    ArrayNode list = JSON.createArrayNode();
    for (McpServer server : servers) {
      ObjectNode entry = list.addObject().put("name", server.name());
      if (server.stdio() != null) {
        ObjectNode stdio = entry.putObject("stdio").put("command", server.stdio().command());
        ArrayNode args = stdio.putArray("args");
        if (server.stdio().args() != null) {
          server.stdio().args().forEach(args::add);
        }
        ObjectNode env = stdio.putObject("env");
        if (server.stdio().env() != null) {
          new TreeMap<>(server.stdio().env()).forEach(env::put);
        }
      } else if (server.http() != null) {
        ObjectNode http = entry.putObject("http").put("url", server.http().url());
        if (server.http().headersSecretRef() != null) {
          http.put("headersDir", HEADERS_DIR + "/" + server.name());
        }
      }
    }
    try {
      return Optional.of(
          new EnvVarBuilder().withName(ENV).withValue(JSON.writeValueAsString(list)).build());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + ENV, e);
    }
  }

  /** The header Secrets' mounts, for the runner container only. */
  static List<VolumeMount> runnerMounts(AgentSession session) {
    return withHeaders(session).stream()
        .map(
            s ->
                new VolumeMountBuilder()
                    .withName(VOLUME_PREFIX + s.name())
                    .withMountPath(HEADERS_DIR + "/" + s.name())
                    .withReadOnly(true)
                    .build())
        .toList();
  }

  /** The header Secrets' volumes. */
  static List<Volume> volumes(AgentSession session) {
    return withHeaders(session).stream()
        .map(
            s ->
                new VolumeBuilder()
                    .withName(VOLUME_PREFIX + s.name())
                    .withNewSecret()
                    .withSecretName(s.http().headersSecretRef().name())
                    .withDefaultMode(READ_ONLY_FOR_OWNER_AND_GROUP)
                    .endSecret()
                    .build())
        .toList();
  }

  private static List<McpServer> withHeaders(AgentSession session) {
    return servers(session).stream()
        .filter(s -> s.http() != null && s.http().headersSecretRef() != null)
        .toList();
  }

  private static List<McpServer> servers(AgentSession session) {
    List<McpServer> servers = session.getSpec().mcpServers();
    return servers == null ? List.of() : servers;
  }
}
