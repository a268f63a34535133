package dev.agentoperator.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.agentoperator.contract.gateway.GatewayProtocol;
import dev.agentoperator.operator.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Latency the gateway adds to a model call, against an upstream that answers at once: the same
 * sequential calls straight to the upstream and through the gateway (route cached, and looked up
 * in the API on every call). Figures in BENCHMARKS.md.
 */
@Tag("bench")
@EnableKubernetesMockClient(crud = true)
class GatewayLatencyBenchmark {

  static KubernetesClient client;

  private static final int WARMUP = 300;
  private static final int CALLS = 2_000;
  private static final byte[] ANSWER =
      ("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
              + "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
              + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}")
          .getBytes(StandardCharsets.UTF_8);
  private static final String REQUEST =
      "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void measureAddedLatencyOnAZeroLatencyUpstream() throws Exception {
    Crds.install(client);
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    upstream.createContext(
        "/v1/chat/completions",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            exchange.getResponseBody().write(ANSWER);
          }
        });
    upstream.start();
    String baseUrl = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1";
    try (GatewayFixture cached = new GatewayFixture(client, Duration.ofSeconds(5));
        GatewayFixture uncached = new GatewayFixture(client, Duration.ZERO)) {
      String token = cached.session("bench", "bench", baseUrl);

      long[] direct = measure(URI.create(baseUrl + "/chat/completions"), null);
      long[] viaCached = measure(cached.uri("/v1/chat/completions"), token);
      long[] viaUncached = measure(uncached.uri("/v1/chat/completions"), token);

      System.out.printf(
          "gateway latency (%d sequential calls, µs): direct p50 %d p99 %d | via gateway, route"
              + " cached p50 %d p99 %d | via gateway, route looked up per call p50 %d p99 %d%n",
          CALLS,
          pct(direct, 50),
          pct(direct, 99),
          pct(viaCached, 50),
          pct(viaCached, 99),
          pct(viaUncached, 50),
          pct(viaUncached, 99));
      assertThat(viaCached).hasSize(CALLS);
    } finally {
      upstream.stop(0);
    }
  }

  private long[] measure(URI uri, String token) throws Exception {
    long[] micros = new long[CALLS];
    for (int i = 0; i < WARMUP + CALLS; i++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(REQUEST));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
        request.header(GatewayProtocol.RUN_HEADER, "bench-run");
      }
      long start = System.nanoTime();
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      long took = (System.nanoTime() - start) / 1_000;
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      if (i >= WARMUP) {
        micros[i - WARMUP] = took;
      }
    }
    Arrays.sort(micros);
    return micros;
  }

  private static long pct(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
  }
}
