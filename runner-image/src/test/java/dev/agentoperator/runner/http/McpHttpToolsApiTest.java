package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentoperator.testing.model.Turn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An http MCP server over Streamable HTTP: the runner sends the headers of the session's Secret
 * (mounted as files in the runner container) with every request, and the header value reaches
 * neither the model nor the run's records.
 */
class McpHttpToolsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEADER_VALUE = "Bearer mcp-http-secret-7777777777";

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;
  private HttpServer mcp;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @Test
  void shouldCallAStreamableHttpServerWithTheSecretsHeadersAndKeepThemFromTheModel()
      throws Exception {
    // given: an http server, and its header Secret as the runner container sees it
    mcp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    mcp.createContext("/mcp", this::serve);
    mcp.start();
    Path headers = Files.createDirectories(api.root().resolve("mcp-headers/remote"));
    Files.writeString(headers.resolve("Authorization"), HEADER_VALUE + "\n");
    String servers =
        "[{\"name\":\"remote\",\"http\":{\"url\":\"http://127.0.0.1:"
            + mcp.getAddress().getPort()
            + "/mcp\",\"headersDir\":\""
            + headers
            + "\"}}]";
    runner =
        api.start(
            Map.of("AGENT_MCP_SERVERS", servers),
            Turn.call("mcp__remote__whoami", "{}"),
            Turn.say("done"));

    // when
    runner.put(
        "/v1/runs/run-1",
        "{\"prompt\":\"who am I\",\"tools\":{\"allow\":[\"mcp__remote__*\"]}}");
    runner.awaitPhase("run-1", "Succeeded");

    // then: every request carried the header; the model got the tool's text, not the header
    assertThat(authorizations).isNotEmpty().allMatch(HEADER_VALUE::equals);
    String everythingTheModelGot =
        String.join("\n", api.model().bodies().stream().map(JsonNode::toString).toList());
    assertThat(everythingTheModelGot).contains("you are authorized").doesNotContain(HEADER_VALUE);
    try (Stream<Path> files = Files.walk(runner.stateDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
            .as("%s", file)
            .doesNotContain("mcp-http-secret");
      }
    }
    assertThat(runner.console()).doesNotContain("mcp-http-secret");
  }

  /** A minimal Streamable HTTP MCP server: JSON answers to POSTs, no event stream. */
  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      if (!request.has("id")) {
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
      answer.set("id", request.get("id"));
      ObjectNode result = answer.putObject("result");
      switch (request.path("method").asText()) {
        case "initialize" -> {
          result.put("protocolVersion", request.path("params").path("protocolVersion").asText());
          result.putObject("capabilities").putObject("tools");
          result.putObject("serverInfo").put("name", "remote").put("version", "1");
        }
        case "tools/list" ->
            result
                .putArray("tools")
                .addObject()
                .put("name", "whoami")
                .put("description", "Says who you are.")
                .putObject("inputSchema")
                .put("type", "object");
        case "tools/call" ->
            result.putArray("content").addObject().put("type", "text").put("text", "you are authorized");
        default -> {
          // ping and the rest: an empty result
        }
      }
      byte[] body = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
