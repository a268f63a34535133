package dev.agentoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator process wiring: reconcilers registered, health and metrics served. */
@EnableKubernetesMockClient(crud = true)
class OperatorMainTest {

  static KubernetesClient client;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeHealthReadinessAndJosdkMetricsOnceStarted() throws Exception {
    // given
    Crds.install(client);
    OperatorConfig config = OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_METRICS_PORT", "0"));

    // when
    OperatorMain.RunningOperator running = OperatorMain.start(client, config, Clock.systemUTC());
    try {
      // then
      assertThat(running.operator().getRegisteredControllers()).isNotEmpty();
      assertThat(get(running, "/healthz").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(running, "/readyz").statusCode() == 200);
      HttpResponse<String> metrics = get(running, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_");
    } finally {
      running.stop();
    }
  }

  @Test
  void shouldStopServingWhenStopped() throws Exception {
    // given
    Crds.install(client);
    OperatorMain.RunningOperator running =
        OperatorMain.start(client, OperatorConfig.defaults().withMetricsPort(0), Clock.systemUTC());
    int port = running.metricsPort();

    // when
    running.stop();

    // then
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())))
        .isInstanceOf(java.io.IOException.class);
  }

  private HttpResponse<String> get(OperatorMain.RunningOperator running, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.metricsPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
