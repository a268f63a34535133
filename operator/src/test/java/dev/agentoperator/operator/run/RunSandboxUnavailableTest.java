package dev.agentoperator.operator.run;

import static dev.agentoperator.operator.testing.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.OperatorMain;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.Crds;
import dev.agentoperator.operator.testing.Resources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose session's sandbox never becomes ready (no kubelet here: the pod stays Pending) names
 * the reason while it waits and fails SandboxUnavailable once its timeout passed since creation.
 */
@EnableKubernetesMockClient(crud = true)
class RunSandboxUnavailableTest {

  KubernetesClient client;
  private OperatorMain.RunningOperator operator;

  @BeforeEach
  void startOperator() {
    Crds.install(client);
    OperatorConfig config = OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_METRICS_PORT", "0"));
    RunSettings settings =
        new RunSettings(
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            new RunnerEventSource.Settings(1, Duration.ofMillis(100), Duration.ofSeconds(1)));
    operator = OperatorMain.start(client, config, Clock.systemUTC(), settings);
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  @Test
  void shouldFailARunWithSandboxUnavailableWhenThePodCannotPullItsImage() {
    // given a session whose sandbox image cannot be pulled
    client.resource(Resources.session("no-image")).create();
    Pod pod =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.pods().inNamespace(NAMESPACE).withName("no-image-sandbox").get(),
                p -> p != null);
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder(pod)
                .editOrNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("sandbox")
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"acme/no-such-image:1\"")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .updateStatus();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.resources(AgentSession.class).inNamespace(NAMESPACE).withName("no-image").get(),
            s ->
                s.getStatus() != null
                    && Conditions.find(s.getStatus().getConditions(), "PodReady")
                        .map(c -> "ImagePullBackOff".equals(c.getReason()))
                        .orElse(false));

    // when a run with a short timeout is created
    client.resource(Resources.runWithTimeout("waits", "no-image", "hello", "4s")).create();

    // then while it waits, its message names why
    AgentRun queued =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> run("waits"),
                r -> r.getStatus() != null && r.getStatus().getPhase() == AgentRunPhase.Queued);
    assertThat(queued.getStatus().getMessage())
        .contains("waiting for the session's sandbox pod to be ready")
        .contains("ImagePullBackOff")
        .contains("acme/no-such-image:1");

    // and once its timeout has passed since creation, it fails
    AgentRun failed =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> run("waits"),
                r -> r.getStatus() != null && r.getStatus().getPhase() == AgentRunPhase.Failed);
    assertThat(Conditions.find(failed.getStatus().getConditions(), "Succeeded"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("SandboxUnavailable");
            });
    assertThat(failed.getStatus().getMessage())
        .contains("not ready within limits.timeout (4s)")
        .contains("ImagePullBackOff");
    assertThat(failed.getStatus().getStartTime()).as("it never started").isNull();
  }

  private AgentRun run(String name) {
    return client.resources(AgentRun.class).inNamespace(NAMESPACE).withName(name).get();
  }
}
