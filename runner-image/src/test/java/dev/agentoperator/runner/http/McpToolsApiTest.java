package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.testing.model.Turn;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MCP servers as tools through the real HTTP API: a real stdio MCP server (a Python script) started
 * by the executor over its relay, listed at the run's first model call, and called through the
 * same policy, approvals and caps as the built-in tools. Assertions are on what the model received.
 */
class McpToolsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  private RunnerHarness start(String serversJson, Turn... turns) throws Exception {
    return api.start(Map.of("AGENT_MCP_SERVERS", serversJson), turns);
  }

  /** The test server as the session would configure it, under {@code name}. */
  static String testServer(String name) {
    ArrayNode servers = JSON.createArrayNode();
    ObjectNode stdio = servers.addObject().put("name", name).putObject("stdio");
    stdio.put("command", "python3");
    stdio.putArray("args").add(serverScript().toString());
    stdio.putObject("env").put("TEST_SERVER_GREETING", "hi");
    return servers.toString();
  }

  static Path serverScript() {
    try {
      return Path.of(McpToolsApiTest.class.getResource("/mcp/test_server.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String request(String policyJson) {
    return "{\"prompt\":\"use the server\",\"tools\":" + policyJson + "}";
  }

  @Test
  void shouldOfferTheServersToolsWithTheirSchemasAndCallThem() throws Exception {
    // given
    runner = start(
        testServer("test"),
        Turn.call("mcp__test__echo", "{\"text\":\"hello from mcp\"}"),
        Turn.say("done"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__test__*\"]}"));
    runner.awaitPhase("run-1", "Succeeded");

    // then: offered with the server's schema, called, and its text went back to the model
    JsonNode echo = offeredTool(api.model().bodies().getFirst(), "mcp__test__echo");
    assertThat(echo).isNotNull();
    assertThat(echo.path("function").path("description").asText()).contains("Returns its text.");
    assertThat(echo.path("function").path("parameters").path("required").toString())
        .isEqualTo("[\"text\"]");
    assertThat(offeredTool(api.model().bodies().getFirst(), "mcp__test__peek")).isNotNull();
    assertThat(api.model().toolMessagesOfLastRequest()).containsExactly("hello from mcp");
    assertThat(runner.eventsOf("run-1", "tool.called"))
        .extracting(e -> e.path("data").path("tool").asText())
        .containsExactly("mcp__test__echo");
  }

  @Test
  void shouldBlockAnMcpToolThePolicyDoesNotAllow() throws Exception {
    // given: only echo is allowed
    runner = start(
        testServer("test"),
        Turn.call("mcp__test__peek", "{\"paths\":[]}"),
        Turn.say("done"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__test__echo\"]}"));
    runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(runner.eventsOf("run-1", "tool.called")).isEmpty();
    assertThat(runner.eventsOf("run-1", "tool.blocked"))
        .extracting(e -> e.path("data").path("tool").asText())
        .containsExactly("mcp__test__peek");
    assertThat(api.model().toolMessagesOfLastRequest())
        .singleElement()
        .satisfies(m -> assertThat(m).contains("The tool policy does not allow this call"));
  }

  @Test
  void shouldAskForAnMcpToolAndRunItOnceApproved() throws Exception {
    // given
    runner = start(
        testServer("test"),
        Turn.call("mcp__test__echo", "{\"text\":\"approved call\"}"),
        Turn.say("done"));
    runner.put(
        "/v1/runs/run-1",
        request("{\"allow\":[\"mcp__test__*\"],\"ask\":[\"mcp__test__echo\"]}"));
    JsonNode pending =
        runner.awaitPhase("run-1", "AwaitingApproval").path("pendingApprovals").get(0);
    assertThat(pending.path("tool").asText()).isEqualTo("mcp__test__echo");
    assertThat(pending.path("summary").asText()).contains("approved call");
    assertThat(toolMessagesSoFar()).isEmpty();

    // when
    runner.post(
        "/v1/runs/run-1/approvals",
        "{\"id\":\"" + pending.path("id").asText() + "\",\"decision\":\"approve\"}");

    // then
    runner.awaitPhase("run-1", "Succeeded");
    assertThat(api.model().toolMessagesOfLastRequest()).containsExactly("approved call");
  }

  @Test
  void shouldTurnADyingServerIntoToolErrorsAnEventAndAMessageNotAFailedRun() throws Exception {
    // given
    runner = start(
        testServer("test"),
        Turn.call("mcp__test__die", "{}"),
        Turn.call("mcp__test__echo", "{\"text\":\"still there?\"}"),
        Turn.say("the server died"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__test__*\"]}"));
    JsonNode summary = runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(api.model().toolMessagesOfLastRequest())
        .hasSize(2)
        .allSatisfy(
            m ->
                assertThat(m)
                    .contains("MCP server test: it")
                    .contains("(it exited)")
                    .contains("its tools cannot be used for the rest of this run"));
    assertThat(runner.eventsOf("run-1", "mcp.server.failed"))
        .singleElement()
        .satisfies(e -> assertThat(e.path("data").path("server").asText()).isEqualTo("test"));
    assertThat(summary.path("message").asText()).contains("MCP server test is unavailable");
  }

  @Test
  void shouldRunWithoutTheToolsOfAServerThatCannotStart() throws Exception {
    // given: a command that does not exist in the sandbox
    String broken =
        "[{\"name\":\"broken\",\"stdio\":{\"command\":\"/nonexistent/mcp-server\"}}]";
    runner = start(
        broken,
        Turn.call("mcp__broken__anything", "{}"),
        Turn.say("no server"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__broken__*\"]}"));
    runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(offeredToolNames(api.model().bodies().getFirst()))
        .noneMatch(n -> n.startsWith("mcp__"));
    assertThat(runner.eventsOf("run-1", "mcp.server.failed"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.path("data").path("message").asText())
                    .startsWith("/nonexistent/mcp-server: cannot start it in the sandbox: ")
                    .contains("is not an executable file in the sandbox container"));
    assertThat(api.model().toolMessagesOfLastRequest())
        .singleElement()
        .satisfies(m -> assertThat(m).contains("unknown tool 'mcp__broken__anything'"));
  }

  @Test
  void shouldReportAServerWhoseCommandIsNotInTheSandboxImageAndSaySoInTheRunsMessage()
      throws Exception {
    // given: a bare command name that is on no PATH of the sandbox (an image without npx, say)
    String missing = "[{\"name\":\"github\",\"stdio\":{\"command\":\"mcp-server-not-installed\","
        + "\"args\":[\"--stdio\"]}}]";
    runner = start(missing, Turn.say("no server"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__github__*\"]}"));
    JsonNode summary = runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(offeredToolNames(api.model().bodies().getFirst()))
        .noneMatch(n -> n.startsWith("mcp__"));
    assertThat(runner.eventsOf("run-1", "mcp.server.failed"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path("data").path("server").asText()).isEqualTo("github");
              assertThat(e.path("data").path("message").asText())
                  .startsWith("mcp-server-not-installed: cannot start it in the sandbox: ")
                  .contains("no executable named mcp-server-not-installed on the sandbox")
                  .contains("is it installed in the sandbox image?");
            });
    assertThat(summary.path("message").asText()).contains("MCP server github is unavailable");
  }

  @Test
  void shouldReportAServerThatExitsBeforeItAnswersAndSaySoInTheRunsMessage() throws Exception {
    // given: a server that exits at once. Its death can land before the SDK has created its
    // session, and the SDK's close then threw a NullPointerException on the starter thread: no
    // event, no message, a run that succeeded without the server's tools and without a word.
    String exits = "[{\"name\":\"quitter\",\"stdio\":{\"command\":\"sh\","
        + "\"args\":[\"-c\",\"exit 3\"]}}]";
    runner = start(exits, Turn.say("no server"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__quitter__*\"]}"));
    JsonNode summary = runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(offeredToolNames(api.model().bodies().getFirst()))
        .noneMatch(n -> n.startsWith("mcp__"));
    assertThat(runner.eventsOf("run-1", "mcp.server.failed"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.path("data").path("message").asText())
                    .isEqualTo(
                        "sh: it did not initialize: it died: the server closed its output (it"
                            + " exited)"));
    assertThat(summary.path("message").asText()).contains("MCP server quitter is unavailable");
  }

  @Test
  void shouldCapAHugeMcpResultLikeAnyToolResult() throws Exception {
    // given: 2 million characters of output
    runner = start(
        testServer("test"),
        Turn.call("mcp__test__shout", "{\"n\":2000000}"),
        Turn.say("done"));

    // when
    runner.put("/v1/runs/run-1", request("{\"allow\":[\"mcp__test__*\"]}"));
    runner.awaitPhase("run-1", "Succeeded");

    // then
    String shown = api.model().toolMessagesOfLastRequest().getFirst();
    assertThat(shown.length()).isLessThan(100_200);
    assertThat(shown).startsWith("AAAA").contains("characters cut");
  }

  @Test
  void shouldOfferOnlyTheServersTheRunNames() throws Exception {
    // given
    runner = start(testServer("test"), Turn.say("done"));

    // when: the run narrows to no server, then names one the session does not have
    runner.put(
        "/v1/runs/run-1",
        "{\"prompt\":\"p\",\"mcpServers\":[],\"tools\":{\"allow\":[\"mcp__test__*\"]}}");
    runner.awaitPhase("run-1", "Succeeded");
    ApiClient.Answer unknown =
        runner.put(
            "/v1/runs/run-2",
            "{\"prompt\":\"p\",\"mcpServers\":[\"github\"],\"tools\":{\"allow\":[\"*\"]}}");

    // then
    assertThat(offeredToolNames(api.model().bodies().getFirst()))
        .noneMatch(n -> n.startsWith("mcp__"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().path("error").asText())
        .contains("'github', which is not an MCP server of this session (it has: test)");
  }

  private static JsonNode offeredTool(JsonNode body, String name) {
    for (JsonNode tool : body.path("tools")) {
      if (name.equals(tool.path("function").path("name").asText())) {
        return tool;
      }
    }
    return null;
  }

  private static List<String> offeredToolNames(JsonNode body) {
    List<String> names = new ArrayList<>();
    body.path("tools").forEach(t -> names.add(t.path("function").path("name").asText()));
    return names;
  }

  private List<String> toolMessagesSoFar() {
    return api.model().bodies().isEmpty() ? List.of() : api.model().toolMessagesOfLastRequest();
  }
}
