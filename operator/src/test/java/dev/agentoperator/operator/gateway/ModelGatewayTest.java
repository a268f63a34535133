package dev.agentoperator.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.contract.gateway.GatewayProtocol;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.session.SessionNames;
import dev.agentoperator.operator.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway as a sandbox pod meets it: its token maps to its own session's model and key, and to
 * nothing else; budgets are enforced; streams pass through as they come; usage is metered.
 */
@EnableKubernetesMockClient(crud = true)
class ModelGatewayTest {

  static KubernetesClient client;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REQUEST =
      "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM_REQUEST =
      "{\"model\":\"gpt-test\",\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final MockWebServer upstream = new MockWebServer();
  private GatewayFixture fixture;
  private String baseUrl;

  @BeforeEach
  void start() throws Exception {
    Crds.install(client);
    upstream.start();
    baseUrl = upstream.url("/v1").toString();
    fixture = new GatewayFixture(client, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    fixture.close();
    upstream.close();
  }

  @Test
  void shouldForwardWithTheSessionsKeyAndMeterTheRun() throws Exception {
    // given
    String token = fixture.session("team-a", "alpha", baseUrl);
    upstream.enqueue(completion(11, 3));

    // when
    HttpResponse<String> response =
        fixture.post(token, Map.of(GatewayProtocol.RUN_HEADER, "run-1"), REQUEST);

    // then the upstream saw the real key, never the gateway token
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("usage").path("total_tokens").asInt())
        .isEqualTo(14);
    RecordedRequest sent = upstream.takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(sent.getHeaders().get("Authorization"))
        .isEqualTo("Bearer " + GatewayFixture.KEY_PREFIX + "team-a-alpha");
    assertThat(sent.getHeaders().toString()).doesNotContain(token);
    assertThat(route(token, "run-1").totalTokens()).isEqualTo(14);
    assertThat(route(token, "run-1").requests()).isEqualTo(1);
    assertThat(fixture.registry.scrape())
        .contains("agent_gateway_tokens_total{")
        .contains("namespace=\"team-a\"")
        .contains("session=\"alpha\"")
        .contains("model=\"gpt-test\"");
  }

  @Test
  void shouldRefuseAStolenTokenForAnotherSessionOrNamespace() throws Exception {
    // given two sessions of the same name in two namespaces, and a third beside the first
    String alpha = fixture.session("team-a", "twin", baseUrl);
    fixture.session("team-b", "twin", baseUrl);
    String beta = fixture.session("team-a", "beta", baseUrl);
    upstream.enqueue(completion(1, 1));
    upstream.enqueue(completion(1, 1));

    // when alpha's token is used as is, and re-labelled to claim the other sessions
    fixture.post(alpha, Map.of(), REQUEST);
    fixture.post(beta, Map.of(), REQUEST);
    String claimsTeamB = reowned(alpha, "team-b/twin");
    String claimsBeta = reowned(alpha, "team-a/beta");

    // then each token reaches its own session's key only; forged claims are refused
    assertThat(upstream.takeRequest().getHeaders().get("Authorization"))
        .endsWith("team-a-twin");
    assertThat(upstream.takeRequest().getHeaders().get("Authorization"))
        .endsWith("team-a-beta");
    assertThat(fixture.post(claimsTeamB, Map.of(), REQUEST).statusCode()).isEqualTo(401);
    assertThat(fixture.post(claimsBeta, Map.of(), REQUEST).statusCode()).isEqualTo(401);
    assertThat(fixture.post("sk-anything", Map.of(), REQUEST).statusCode()).isEqualTo(401);
    assertThat(fixture.post(null, Map.of(), REQUEST).statusCode()).isEqualTo(401);
    assertThat(upstream.getRequestCount()).isEqualTo(2);
  }

  @Test
  void shouldRefuseTheTokenOnceItsSessionIsDeletedOrRecreated() throws Exception {
    // given
    String token = fixture.session("team-a", "gone", baseUrl);
    upstream.enqueue(completion(1, 1));
    assertThat(fixture.post(token, Map.of(), REQUEST).statusCode()).isEqualTo(200);

    // when the session is deleted (its token Secret stays: the mock has no garbage collector)
    client.resources(AgentSession.class).inNamespace("team-a").withName("gone").delete();
    HttpResponse<String> afterDelete = fixture.post(token, Map.of(), REQUEST);

    // and a new session of the same name appears, with its own token
    client.secrets().inNamespace("team-a").withName("gone-key").delete();
    client
        .secrets()
        .inNamespace("team-a")
        .withName(SessionNames.gatewayTokenSecret("gone"))
        .delete();
    String newToken = fixture.session("team-a", "gone", baseUrl);
    HttpResponse<String> oldTokenOnNewSession = fixture.post(token, Map.of(), REQUEST);

    // then
    assertThat(afterDelete.statusCode()).isEqualTo(401);
    assertThat(errorCode(afterDelete)).isEqualTo("invalid_gateway_token");
    assertThat(oldTokenOnNewSession.statusCode()).isEqualTo(401);
    assertThat(newToken).isNotEqualTo(token);
    assertThat(upstream.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldAnswer429WithMaxTokensExceededOnceTheRunHasUsedItsBudget() throws Exception {
    // given a run with a budget of 20 tokens
    String token = fixture.session("team-a", "budget", baseUrl);
    Map<String, String> run =
        Map.of(GatewayProtocol.RUN_HEADER, "run-b", GatewayProtocol.MAX_TOKENS_HEADER, "20");
    upstream.enqueue(completion(10, 5));
    upstream.enqueue(completion(4, 2));

    // when it makes three calls
    HttpResponse<String> first = fixture.post(token, run, REQUEST);
    HttpResponse<String> second = fixture.post(token, run, REQUEST);
    HttpResponse<String> third = fixture.post(token, run, REQUEST);
    int reachedUpstream = upstream.getRequestCount();
    upstream.enqueue(completion(1, 1));
    HttpResponse<String> otherRun =
        fixture.post(
            token,
            Map.of(GatewayProtocol.RUN_HEADER, "run-c", GatewayProtocol.MAX_TOKENS_HEADER, "20"),
            REQUEST);

    // then the third is refused without reaching upstream, with a reason the runner maps
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(errorCode(third)).isEqualTo(GatewayProtocol.MAX_TOKENS_EXCEEDED);
    assertThat(JSON.readTree(third.body()).path("error").path("message").asText())
        .contains("used 21 tokens, its limit is 20");
    assertThat(third.headers().firstValue("Retry-After")).isEmpty();
    assertThat(reachedUpstream).isEqualTo(2);
    assertThat(otherRun.statusCode()).as("another run has its own budget").isEqualTo(200);
    assertThat(fixture.registry.scrape()).contains("outcome=\"budget_exceeded\"");
  }

  @Test
  void shouldPassAStreamThroughAndMeterTheUsageOfItsLastChunk() throws Exception {
    // given a stream with split tool-call deltas and usage in a choices-less last chunk
    String token = fixture.session("team-a", "stream", baseUrl);
    String stream =
        sse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
                + "\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"{\\\"path\\\":\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"\\\"a.txt\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,"
                + "\"total_tokens\":70}}");
    upstream.enqueue(
        new MockResponse.Builder()
            .setHeader("Content-Type", "text/event-stream")
            .chunkedBody(stream, 7)
            .build());

    // when
    HttpResponse<String> response =
        fixture.post(token, Map.of(GatewayProtocol.RUN_HEADER, "run-s"), STREAM_REQUEST);

    // then the client gets the events byte for byte, and the gateway asked for usage
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(response.body()).isEqualTo(stream);
    JsonNode sent = JSON.readTree(upstream.takeRequest().getBody().utf8());
    assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(route(token, "run-s").totalTokens()).isEqualTo(70);
  }

  @Test
  void shouldPassUpstreamErrorsThroughForTheRunnerToRetry() throws Exception {
    // given
    String token = fixture.session("team-a", "limited", baseUrl);
    upstream.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Content-Type", "application/json")
            .setHeader("Retry-After", "3")
            .body("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}")
            .build());

    // when
    HttpResponse<String> response = fixture.post(token, Map.of(), REQUEST);

    // then the gateway does not retry and keeps Retry-After
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(errorCode(response)).isNull();
    assertThat(upstream.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldListTheSessionsModel() throws Exception {
    String token = fixture.session("team-a", "models", baseUrl);

    HttpResponse<String> response = fixture.get(token, "/v1/models");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("data").path(0).path("id").asText())
        .isEqualTo("gpt-test");
    assertThat(fixture.get("nope", "/v1/models").statusCode()).isEqualTo(401);
  }

  private UsageMeter.RunUsage route(String token, String run) throws GatewayRejection {
    GatewayRoute route =
        new SessionRoutes(client, Duration.ZERO, java.time.Clock.systemUTC()).resolve(token);
    return fixture.gateway.meter().usage(route, run);
  }

  /** The token with its session claim replaced, its random part kept. */
  private static String reowned(String token, String owner) {
    String random = token.substring(token.lastIndexOf('.') + 1);
    return "agw."
        + java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(owner.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "."
        + random;
  }

  private static String errorCode(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("error").path("code").asText(null);
  }

  private static MockResponse completion(int prompt, int completion) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json")
        .body(
            """
            {"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":\
            "assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":%d,\
            "completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(prompt, completion, prompt + completion))
        .build();
  }

  private static String sse(String... chunks) {
    StringBuilder body = new StringBuilder();
    for (String chunk : chunks) {
      body.append("data: ").append(chunk).append("\n\n");
    }
    return body.append("data: [DONE]\n\n").toString();
  }
}
