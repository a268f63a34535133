package dev.agentoperator.operator.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** {@code agent-operator gateway}: the model gateway against the current cluster. */
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    GatewaySettings settings = GatewaySettings.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    ModelGateway gateway =
        ModelGateway.start(
            settings.address(),
            client,
            settings,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  client.close();
                  stopped.countDown();
                },
                "agent-gateway-shutdown"));
    stopped.await();
  }
}
