package dev.agentoperator.runner.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.gateway.GatewayProtocol;
import dev.agentoperator.contract.runner.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {

  private static final String KEY = "sk-test-0123456789abcdefSECRET";
  private static final String BUDGET_REFUSAL =
      "{\"error\":{\"message\":\"run r-1 used 21 tokens, its limit is 20\","
          + "\"type\":\"budget_exceeded\",\"code\":\"max_tokens_exceeded\"}}";
  private static final Instant NOW = Instant.parse("2026-11-22T13:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final List<Duration> sleeps = new ArrayList<>();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiChatModel model(boolean stream, RetryPolicy retry) {
    OpenAiSettings settings =
        OpenAiSettings.of(server.url("/v1").toString(), KEY).withStream(stream).withRetry(retry);
    return new OpenAiChatModel(settings, sleeps::add, clock, new Random(7));
  }

  private static ChatRequest request() {
    return new ChatRequest(
        "gpt-test",
        List.of(ChatMessage.system("be brief"), ChatMessage.user("fix the build")),
        List.of(),
        0.2,
        256);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static MockResponse sse(String... chunks) {
    StringBuilder body = new StringBuilder();
    for (String chunk : chunks) {
      body.append("data: ").append(chunk).append("\n\n");
    }
    body.append("data: [DONE]\n\n");
    return new MockResponse.Builder()
        .setHeader("Content-Type", "text/event-stream")
        .body(body.toString())
        .build();
  }

  private static String answer(String content) {
    return """
    {"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",
    "content":"%s"},"finish_reason":"stop"}],
    "usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}\
    """
        .formatted(content);
  }

  @Test
  void shouldAssembleStreamedToolCallDeltasByIndexIntoWholeCalls() throws Exception {
    // given two tool calls whose argument pieces arrive interleaved, then a usage-only chunk
    server.enqueue(
        sse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
                + "\"reasoning_content\":\"thinking\"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
                + "\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\","
                + "\"type\":\"function\",\"function\":{\"name\":\"shell\",\"arguments\":\"{\\\"comm\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"{\\\"path\\\":\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,"
                + "\"function\":{\"arguments\":\"and\\\":\\\"ls\\\"}\"}}]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"\\\"a.txt\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,\"total_tokens\":70}}"));

    // when
    ChatResponse response = model(true, RetryPolicy.none()).complete(request());

    // then
    assertThat(response.message().toolCalls())
        .containsExactly(
            new ToolCall("call_a", "read_file", "{\"path\":\"a.txt\"}"),
            new ToolCall("call_b", "shell", "{\"command\":\"ls\"}"));
    assertThat(response.message().content()).isNull();
    assertThat(response.finishReason()).isEqualTo("tool_calls");
    assertThat(response.usage()).isEqualTo(new Usage(50, 20, 70, false));
    JsonNode sent = WireFormat.JSON.readTree(server.takeRequest().getBody().utf8());
    assertThat(sent.path("stream").asBoolean()).isTrue();
    assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void shouldConcatenateStreamedTextAndEstimateUsageWhenTheServerSendsNone() throws Exception {
    // given a stream without a usage chunk and a null finish reason
    server.enqueue(
        sse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"All \"}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"done.\"},\"finish_reason\":null}]}"));

    // when
    ChatResponse response = model(true, RetryPolicy.none()).complete(request());

    // then
    assertThat(response.message().content()).isEqualTo("All done.");
    assertThat(response.finishReason()).isNull();
    assertThat(response.usage().estimated()).isTrue();
    assertThat(response.usage().inputTokens()).isGreaterThan(5);
    assertThat(response.usage().outputTokens()).isGreaterThan(0);
  }

  @Test
  void shouldReadANonStreamingAnswerWithReasoningContentAndUnknownFields() throws Exception {
    // given
    server.enqueue(
        json(
            200,
            """
            {"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":null,
            "reasoning_content":"hmm","refusal":null,"tool_calls":[{"id":"c1","type":"function",
            "function":{"name":"grep","arguments":"{\\"pattern\\":\\"TODO\\"}"}}]},
            "finish_reason":"tool_calls","logprobs":null}],"system_fingerprint":"fp",
            "usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9,
            "completion_tokens_details":{"reasoning_tokens":1}}}\
            """));

    // when
    ChatResponse response = model(false, RetryPolicy.none()).complete(request());

    // then
    assertThat(response.message().toolCalls())
        .containsExactly(new ToolCall("c1", "grep", "{\"pattern\":\"TODO\"}"));
    assertThat(response.usage()).isEqualTo(new Usage(7, 2, 9, false));
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    JsonNode sent = WireFormat.JSON.readTree(recorded.getBody().utf8());
    assertThat(sent.path("model").asText()).isEqualTo("gpt-test");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(sent.has("stream")).isFalse();
  }

  @Test
  void shouldTurnALegacyFunctionCallIntoAToolCall() throws Exception {
    // given
    server.enqueue(
        json(
            200,
            """
            {"choices":[{"message":{"role":"assistant","content":"",
            "function_call":{"name":"list_dir","arguments":"{}"}},"finish_reason":"function_call"}]}\
            """));

    // when
    ChatResponse response = model(false, RetryPolicy.none()).complete(request());

    // then
    assertThat(response.message().toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("list_dir");
    assertThat(response.finishReason()).isEqualTo("function_call");
    assertThat(response.usage().estimated()).isTrue();
  }

  @Test
  void shouldAcceptAJsonAnswerToAStreamingRequest() throws Exception {
    // given a server that ignores "stream": true
    server.enqueue(json(200, answer("plain")));

    // when
    ChatResponse response = model(true, RetryPolicy.none()).complete(request());

    // then
    assertThat(response.message().content()).isEqualTo("plain");
  }

  @Test
  void shouldRetryA429AfterTheDelayGivenInRetryAfterSeconds() throws Exception {
    // given
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "7")
            .body("{\"error\":{\"message\":\"Rate limit reached\"}}")
            .build());
    server.enqueue(json(200, answer("ok")));

    // when
    ChatResponse response = model(false, RetryPolicy.defaults()).complete(request());

    // then
    assertThat(response.message().content()).isEqualTo("ok");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void shouldHonourRetryAfterGivenAsAnHttpDate() throws Exception {
    // given
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(NOW.plusSeconds(12), ZoneOffset.UTC));
    server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", date).build());
    server.enqueue(json(200, answer("ok")));

    // when
    model(false, RetryPolicy.defaults()).complete(request());

    // then
    assertThat(sleeps).containsExactly(Duration.ofSeconds(12));
  }

  @Test
  void shouldBackOffExponentiallyAndFailWithTheServersMessageAfterPersistent500s() {
    // given
    for (int i = 0; i < 4; i++) {
      server.enqueue(json(500, "{\"error\":{\"message\":\"The server had an error\"}}"));
    }
    RetryPolicy retry =
        new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));

    // when / then
    assertThatThrownBy(() -> model(false, retry).complete(request()))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("after 4 attempts")
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("The server had an error");
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(sleeps.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(sleeps.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void shouldStopRetryingWhenTheNextPauseWouldPassTheTotalTimeBound() {
    // given a Retry-After longer than the whole retry budget
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "600").build());
    RetryPolicy retry =
        new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));

    // when / then
    assertThatThrownBy(() -> model(false, retry).complete(request()))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("after 1 attempt")
        .hasMessageContaining("HTTP 429");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldFailAtOnceOn401WithoutRevealingTheKeyTheServerEchoes() {
    // given a server that quotes the key back, as OpenAI does for a wrong key
    server.enqueue(
        json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\"}}"));

    // when / then
    assertThatThrownBy(() -> model(false, RetryPolicy.defaults()).complete(request()))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("Incorrect API key provided")
        .satisfies(e -> assertThat(e.toString()).doesNotContain(KEY))
        .satisfies(e -> assertThat(((ModelException) e).httpStatus()).isEqualTo(401));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldFailAtOnceOn400WithTheServersMessage() {
    // given
    server.enqueue(json(400, "{\"error\":{\"message\":\"Invalid 'messages[3]': orphan tool\"}}"));

    // when / then
    assertThatThrownBy(() -> model(true, RetryPolicy.defaults()).complete(request()))
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("orphan tool");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldRetryConnectionFailuresAndSayTheModelIsUnreachable() throws Exception {
    // given an address nobody listens on
    String url = server.url("/v1").toString();
    server.close();
    OpenAiSettings settings =
        OpenAiSettings.of(url, KEY)
            .withRetry(
                new RetryPolicy(
                    3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(1)));

    // when / then
    assertThatThrownBy(
            () ->
                new OpenAiChatModel(settings, sleeps::add, clock, new Random(1))
                    .complete(request()))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("cannot reach the model");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void shouldCancelAnInFlightCallWhenTheCallingThreadIsInterrupted() throws Exception {
    // given a server that takes a minute to answer
    server.enqueue(
        new MockResponse.Builder().headersDelay(60, TimeUnit.SECONDS).body(answer("late")).build());
    OpenAiChatModel model = model(false, RetryPolicy.defaults());
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    model.complete(request());
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });
    server.takeRequest(5, TimeUnit.SECONDS);

    // when
    caller.interrupt();

    // then
    await().atMost(Duration.ofSeconds(2)).until(() -> !caller.isAlive());
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void shouldNameTheOutputCapAsOpenAiItselfExpectsIt() throws Exception {
    // given
    server.enqueue(json(200, answer("ok")));
    OpenAiSettings settings =
        OpenAiSettings.of(server.url("/v1").toString(), KEY)
            .withStream(false)
            .withMaxTokensParameter("max_completion_tokens");

    // when
    new OpenAiChatModel(settings, sleeps::add, clock, new Random(1)).complete(request());

    // then
    JsonNode sent = WireFormat.JSON.readTree(server.takeRequest().getBody().utf8());
    assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(256);
    assertThat(sent.has("max_tokens")).isFalse();
    assertThat(OpenAiSettings.of("https://api.openai.com/v1", KEY).maxTokensParameter())
        .isEqualTo("max_completion_tokens");
    assertThat(OpenAiSettings.of("http://vllm:8000/v1", KEY).maxTokensParameter())
        .isEqualTo("max_tokens");
  }

  @Test
  void shouldNeverShowTheKeyInSettingsText() {
    assertThat(OpenAiSettings.of("http://x", KEY).toString())
        .doesNotContain(KEY)
        .contains("redacted");
  }

  @Test
  void shouldSendTheRunsUidAndBudgetToTheGateway() throws Exception {
    server.enqueue(json(200, answer("ok")));

    model(false, RetryPolicy.defaults()).viaGateway().forRun("r-1", 20L).complete(request());

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeaders().get(GatewayProtocol.RUN_HEADER)).isEqualTo("r-1");
    assertThat(sent.getHeaders().get(GatewayProtocol.MAX_TOKENS_HEADER)).isEqualTo("20");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void shouldSendNoRunHeadersToAProviderDirectly() throws Exception {
    server.enqueue(json(200, answer("ok")));

    model(false, RetryPolicy.defaults()).forRun("r-1", 20L).complete(request());

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeaders().get(GatewayProtocol.RUN_HEADER)).isNull();
    assertThat(sent.getHeaders().get(GatewayProtocol.MAX_TOKENS_HEADER)).isNull();
  }

  @Test
  void shouldTurnTheGatewaysBudgetRefusalIntoBudgetExceededWithoutRetrying() {
    server.enqueue(json(429, BUDGET_REFUSAL));

    OpenAiChatModel gateway = model(false, RetryPolicy.defaults()).viaGateway();

    assertThatThrownBy(() -> gateway.forRun("r-1", 20L).complete(request()))
        .isInstanceOf(BudgetExceeded.class)
        .hasMessageContaining("used 21 tokens, its limit is 20");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }
}
