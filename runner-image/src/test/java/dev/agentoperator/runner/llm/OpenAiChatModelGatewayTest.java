package dev.agentoperator.runner.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.gateway.GatewayProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model client talking to the agent gateway: run headers, and the budget refusal. */
class OpenAiChatModelGatewayTest {

  private static final String GATEWAY_TOKEN = "agw.dGVhbS1hL2FscGhh.random";
  private static final String BUDGET_REFUSAL =
      "{\"error\":{\"message\":\"run r-1 used 21 tokens, its limit is 20\","
          + "\"type\":\"budget_exceeded\",\"code\":\"max_tokens_exceeded\"}}";

  private final MockWebServer server = new MockWebServer();
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiChatModel model() {
    OpenAiSettings settings =
        OpenAiSettings.of(server.url("/v1").toString(), GATEWAY_TOKEN).withStream(false);
    return new OpenAiChatModel(settings, sleeps::add, Clock.systemUTC(), new Random(1));
  }

  private static ChatRequest request() {
    return new ChatRequest("gpt-test", List.of(ChatMessage.user("hi")), List.of(), null, null);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void shouldSendTheRunsUidAndBudgetToTheGateway() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "\"finish_reason\":\"stop\"}]}"));

    model().viaGateway().forRun("r-1", 20L).complete(request());

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeaders().get(GatewayProtocol.RUN_HEADER)).isEqualTo("r-1");
    assertThat(sent.getHeaders().get(GatewayProtocol.MAX_TOKENS_HEADER)).isEqualTo("20");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + GATEWAY_TOKEN);
  }

  @Test
  void shouldSendNoRunHeadersToAProviderDirectly() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "\"finish_reason\":\"stop\"}]}"));

    model().forRun("r-1", 20L).complete(request());

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeaders().get(GatewayProtocol.RUN_HEADER)).isNull();
    assertThat(sent.getHeaders().get(GatewayProtocol.MAX_TOKENS_HEADER)).isNull();
  }

  @Test
  void shouldTurnTheGatewaysBudgetRefusalIntoBudgetExceededWithoutRetrying() {
    server.enqueue(json(429, BUDGET_REFUSAL));

    assertThatThrownBy(() -> model().viaGateway().forRun("r-1", 20L).complete(request()))
        .isInstanceOf(BudgetExceeded.class)
        .hasMessageContaining("used 21 tokens, its limit is 20");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }
}
