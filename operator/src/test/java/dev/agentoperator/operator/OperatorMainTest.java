package dev.agentoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.testing.Crds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
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
  static KubernetesMockServer server;

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
        OperatorMain.start(client, OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_METRICS_PORT", "0")), Clock.systemUTC());
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

  @Test
  void shouldReconcileOnlyAfterTakingTheLeaseWhenLeaderElectionIsOn() {
    // given an API server that grants the lease permissions JOSDK checks at start (the mock
    // server cannot answer a SelfSubjectRulesReview by itself)
    Crds.install(client);
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "AGENT_OPERATOR_METRICS_PORT", "0",
                "AGENT_OPERATOR_LEADER_ELECTION", "true",
                "AGENT_OPERATOR_LEASE_NAMESPACE", "operators"));

    // when
    OperatorMain.RunningOperator running = OperatorMain.start(client, config, Clock.systemUTC());
    try {
      // then the lease is held and sessions are reconciled
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .leases()
                              .inNamespace("operators")
                              .withName("agent-operator-leader")
                              .get())
                      .isNotNull()
                      .satisfies(l -> assertThat(l.getSpec().getHolderIdentity()).isNotBlank()));
      AgentSession session = new AgentSession();
      session.setMetadata(new ObjectMetaBuilder().withName("led").withNamespace("le").build());
      session.setSpec(
          AgentSessionSpec.builder()
              .model(ModelSpec.builder().provider(ModelProvider.openai).name("m").build())
              .build());
      client.resource(session).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.pods().inNamespace("le").withName("led-sandbox").get() != null);
    } finally {
      running.stop();
    }
  }

  private HttpResponse<String> get(OperatorMain.RunningOperator running, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.metricsPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
