package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.OperatorMain;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.testing.Crds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a gateway configured, the operator gives an openai session a gateway token Secret. */
@EnableKubernetesMockClient(crud = true)
class GatewaySessionReconcileTest {

  static KubernetesClient client;
  private static OperatorMain.RunningOperator operator;

  @BeforeAll
  static void startOperator() {
    Crds.install(client);
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "AGENT_OPERATOR_GATEWAY_URL", "http://agent-gateway.agent-system:8090",
                "AGENT_OPERATOR_METRICS_PORT", "0"));
    operator = OperatorMain.start(client, config, Clock.systemUTC());
  }

  @AfterAll
  static void stopOperator() {
    operator.stop();
  }

  @Test
  void shouldCreateAGatewayTokenNamingTheSessionAndGiveItToTheRunnerInsteadOfTheKey() {
    // given / when
    create("gw", "routed", "openai");
    create("gw", "replayed", "replay");

    // then
    Pod pod = await(() -> client.pods().inNamespace("gw").withName("routed-sandbox").get());
    Secret token =
        await(
            () ->
                client
                    .secrets()
                    .inNamespace("gw")
                    .withName(SessionNames.gatewayTokenSecret("routed"))
                    .get());
    assertThat(GatewayTokenSecret.ownerOf(RunnerTokenSecret.tokenOf(token)))
        .hasValue(new GatewayTokenSecret.Owner("gw", "routed"));
    assertThat(token.getMetadata().getLabels())
        .containsEntry(GatewayTokenSecret.GATEWAY_TOKEN_LABEL, "true");
    assertThat(Serialization.asYaml(pod))
        .contains("routed-gateway-token")
        .doesNotContain("name: \"routed-key\"");
    await(() -> client.pods().inNamespace("gw").withName("replayed-sandbox").get());
    assertThat(
            client
                .secrets()
                .inNamespace("gw")
                .withName(SessionNames.gatewayTokenSecret("replayed"))
                .get())
        .as("a replay session needs no gateway")
        .isNull();
  }

  private static void create(String namespace, String name, String provider) {
    String model =
        "openai".equals(provider)
            ? "{provider: openai, name: gpt-test, apiKeySecretRef: {name: %s-key, key: k}}"
                .formatted(name)
            : "{provider: replay, cassetteRef: {name: %s-cassette}}".formatted(name);
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: agentoperator.dev/v1alpha1
                kind: AgentSession
                metadata: {name: %s, namespace: %s}
                spec:
                  model: %s
                """
                    .formatted(name, namespace, model),
                AgentSession.class))
        .create();
  }

  private static <T> T await(java.util.concurrent.Callable<T> lookup) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(lookup, java.util.Objects::nonNull);
  }
}
