package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.OperatorMain;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.testing.ApiCall;
import dev.agentoperator.operator.testing.Crds;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Records every API request the operator makes during a session's life against the mock API server:
 * each must be allowed by the Helm chart's RBAC rules, and the mutating ones are counted so a change that
 * adds writes shows up here.
 */
@EnableKubernetesMockClient(crud = true)
class SessionApiFootprintTest {

  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String OPERATOR_AGENT = "agent-operator-under-test";

  @Test
  void shouldUseOnlyGrantedVerbsAndAFixedNumberOfWritesFromCreationToReadyToSuspended()
      throws Exception {
    // given an operator with its own client, told apart by its user agent
    Crds.install(client);
    KubernetesClient operatorClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_AGENT).build())
            .build();
    OperatorMain.RunningOperator operator =
        OperatorMain.start(
            operatorClient, OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_METRICS_PORT", "0")), Clock.systemUTC());
    List<RecordedRequest> requests = new ArrayList<>();
    try {
      // when a session is created, its pod becomes ready, and it is suspended
      AgentSession session = new AgentSession();
      session.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("footprint").build());
      session.setSpec(
          AgentSessionSpec.builder()
              .model(ModelSpec.builder().provider(ModelProvider.openai).name("gpt-4o-mini").build())
              .build());
      client.resource(session).create();
      Pod pod =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> client.pods().inNamespace("footprint").withName("s-sandbox").get(),
                  p -> p != null);
      client
          .pods()
          .inNamespace("footprint")
          .resource(
              new PodBuilder(pod)
                  .editOrNewStatus()
                  .withPhase("Running")
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .endCondition()
                  .endStatus()
                  .build())
          .updateStatus();
      awaitPhase(AgentSessionPhase.Ready);
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () -> {
                client
                    .resources(AgentSession.class)
                    .inNamespace("footprint")
                    .withName("s")
                    .edit(
                        s -> {
                          s.setSpec(
                              s.getSpec().toBuilder().suspend(true).build());
                          return s;
                        });
                return true;
              });
      awaitPhase(AgentSessionPhase.Idle);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> client.pods().inNamespace("footprint").withName("s-sandbox").get() == null);
    } finally {
      operator.stop();
      operatorClient.close();
      RecordedRequest request;
      while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
        if (OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
          requests.add(request);
        }
      }
    }

    // then every request is granted by the Helm chart's RBAC rules
    List<PolicyRule> rules = ApiCall.rbacRules();
    Map<String, Integer> writes = new TreeMap<>();
    for (RecordedRequest request : requests) {
      ApiCall call = ApiCall.of(request);
      assertThat(rules)
          .as(
              "the chart grants %s on %s/%s (%s)",
              call.verb(), call.group(), call.resource(), request.getRequestLine())
          .anyMatch(
              rule ->
                  rule.getApiGroups().contains(call.group())
                      && rule.getResources().contains(call.resource())
                      && rule.getVerbs().contains(call.verb()));
      if (call.mutating()) {
        writes.merge(call.verb() + " " + call.resource(), 1, Integer::sum);
      }
    }
    // and the writes are exactly what the lifecycle needs (stated in the session side's notes)
    System.out.println("session lifecycle writes: " + writes);
    assertThat(writes)
        .containsEntry("create persistentvolumeclaims", 1)
        .containsEntry("create secrets", 1)
        .containsEntry("create networkpolicies", 1)
        .containsEntry("create pods", 1)
        .containsEntry("delete pods", 1)
        .doesNotContainKey("update networkpolicies");
    assertThat(writes.get("update agentsessions/status")).isBetween(3, 5);
  }

  private static void awaitPhase(AgentSessionPhase phase) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              AgentSession s =
                  client.resources(AgentSession.class).inNamespace("footprint").withName("s").get();
              return s.getStatus() != null && s.getStatus().getPhase() == phase;
            });
  }

}
