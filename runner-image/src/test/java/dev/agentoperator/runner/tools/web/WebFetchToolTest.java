package dev.agentoperator.runner.tools.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.ToolSettingsBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebFetchToolTest {

  private static final String PAGE =
      """
      <!doctype html>
      <html><head><title>Release notes</title><style>body { color: red }</style>
      <script>var secret = "do not show";</script></head>
      <body>
        <h1>Version 2.0</h1>
        <p>Faster   builds and <b>fewer</b> bugs.</p>
        <ul><li>First change</li><li>Second change</li></ul>
        <pre>code  block
          indented</pre>
        <noscript>enable js</noscript>
      </body></html>
      """;

  @TempDir Path workspace;
  @TempDir Path state;
  private final MockWebServer server = new MockWebServer();
  private ToolHarness tools;

  @BeforeEach
  void setUp() throws Exception {
    server.start();
    tools = ToolHarness.standard(workspace, state);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void shouldTurnHtmlIntoReadableText() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "text/html; charset=utf-8")
            .body(PAGE)
            .build());

    ToolResult result = tools.call("web_fetch", Map.of("url", server.url("/notes").toString()));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content())
        .contains("Status: 200")
        .contains("Title: Release notes")
        .contains("# Version 2.0\n")
        .contains("Faster builds and fewer bugs.\n")
        .contains("- First change\n- Second change\n")
        .contains("code  block\n")
        .doesNotContain("var secret", "color: red", "enable js", "<p>");
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getTarget()).isEqualTo("/notes");
  }

  @Test
  void shouldReturnPlainTextAsItIs() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "application/json")
            .body("{\"a\": <1>}")
            .build());

    ToolResult result = tools.call("web_fetch", Map.of("url", server.url("/data.json").toString()));

    assertThat(result.content()).endsWith("\n{\"a\": <1>}");
  }

  @Test
  void shouldCutResponseAtSizeCap() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "text/plain")
            .body("a".repeat(10_000) + "TAIL")
            .build());
    ToolHarness capped =
        ToolHarness.withSettings(
            ToolSettingsBuilder.defaults().fetchLimits(1000, Duration.ofSeconds(10)).build(),
            workspace,
            state);

    ToolResult result = capped.call("web_fetch", Map.of("url", server.url("/big").toString()));

    assertThat(result.error()).isFalse();
    assertThat(result.content())
        .contains("a".repeat(1000))
        .doesNotContain("a".repeat(1001))
        .doesNotContain("TAIL")
        .contains("[response cut at 1000 bytes]");
  }

  @Test
  void shouldReportHttpErrorStatusAsError() throws Exception {
    server.enqueue(new MockResponse.Builder().code(404).body("no such page").build());

    ToolResult result = tools.call("web_fetch", Map.of("url", server.url("/missing").toString()));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).startsWith("HTTP 404 from ").contains("no such page");
  }

  @Test
  void shouldFollowRedirects() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/final").build());
    server.enqueue(
        new MockResponse.Builder().addHeader("Content-Type", "text/plain").body("arrived").build());

    ToolResult result = tools.call("web_fetch", Map.of("url", server.url("/start").toString()));

    assertThat(result.content()).contains("URL: " + server.url("/final")).endsWith("arrived");
  }

  @Test
  void shouldTimeOutOnSlowServer() throws Exception {
    server.enqueue(
        new MockResponse.Builder().body("late").headersDelay(5, TimeUnit.SECONDS).build());
    ToolHarness impatient =
        ToolHarness.withSettings(
            ToolSettingsBuilder.defaults().fetchLimits(1000, Duration.ofMillis(500)).build(),
            workspace,
            state);

    ToolResult result = impatient.call("web_fetch", Map.of("url", server.url("/slow").toString()));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("timed out");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "ftp://example.com/x",
        "javascript:alert(1)",
        "example.com",
        "gopher://x"
      })
  void shouldRefuseNonHttpUrls(String url) throws Exception {
    ToolResult result = tools.call("web_fetch", Map.of("url", url));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("only absolute http:// and https:// URLs are allowed");
    assertThat(server.getRequestCount()).isZero();
  }
}
