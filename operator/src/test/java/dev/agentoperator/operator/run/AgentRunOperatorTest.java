package dev.agentoperator.operator.run;

import static dev.agentoperator.operator.testing.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.testing.OperatorHarness;
import dev.agentoperator.operator.testing.Resources;
import dev.agentoperator.operator.testing.RunScript;
import dev.agentoperator.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole operator (session and run reconcilers) against the mock API server in CRUD mode, with
 * fake runners over HTTP started by a test kubelet: what a user sees of a run's life.
 */
@EnableKubernetesMockClient(crud = true)
class AgentRunOperatorTest {

  KubernetesMockServer server;
  KubernetesClient client;
  private OperatorHarness harness;

  @BeforeEach
  void startOperator() throws Exception {
    harness = new OperatorHarness(server, client, AgentRunOperatorTest::script).start();
    harness.createModelKeySecret();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  /** The fake runner's behaviour, chosen by a word in the prompt. */
  static RunScript script(String prompt) {
    if (prompt.contains("forever")) {
      return RunScript.longRunning();
    }
    if (prompt.contains("approval")) {
      return RunScript.steps(3).withApprovalAtStep(2);
    }
    if (prompt.contains("thousand")) {
      return RunScript.steps(1000).withStepDelay(Duration.ZERO).withResult("x".repeat(10_000));
    }
    if (prompt.contains("steady")) {
      return RunScript.steps(30).withStepDelay(Duration.ofMillis(100));
    }
    if (prompt.contains("slow")) {
      return RunScript.steps(5).withStepDelay(Duration.ofMillis(200));
    }
    return RunScript.steps(3).withResult("all tests pass");
  }

  @Test
  void shouldRunQueuedThenRunningThenSucceededWithStepsUsageSnapshotAndResult() {
    harness.create(Resources.session("dev"));
    harness.create(Resources.run("fix-tests", "dev", "fix the tests"));

    AgentRun run = awaitRun("fix-tests", r -> phase(r) == AgentRunPhase.Succeeded);

    var status = run.getStatus();
    assertThat(harness.phaseHistory("fix-tests")).containsSubsequence("Queued", "Running", "Succeeded");
    assertThat(status.getSteps()).isEqualTo(3);
    assertThat(status.getToolCalls()).isEqualTo(3);
    assertThat(status.getUsage().totalTokens()).isEqualTo(360);
    assertThat(status.getSnapshot().count()).isEqualTo(3);
    assertThat(status.getSnapshot().commit()).hasSize(40);
    assertThat(status.getResult().text()).isEqualTo("all tests pass");
    assertThat(status.getRecentSteps()).hasSize(3);
    assertThat(status.getAttempts()).isEqualTo(1);
    assertThat(status.getStartTime()).isNotNull();
    assertThat(status.getCompletionTime()).isNotNull();
    assertThat(status.getSession()).isEqualTo("dev");
    assertThat(status.getObservedGeneration()).isEqualTo(run.getMetadata().getGeneration());
    assertThat(Conditions.isTrue(status.getConditions(), "Accepted")).isTrue();
    assertThat(Conditions.isTrue(status.getConditions(), "Succeeded")).isTrue();
    assertThat(Conditions.find(status.getConditions(), "Running")).get()
        .extracting(c -> c.getStatus()).isEqualTo("False");
    assertThat(harness.eventReasons("fix-tests")).contains("Started", "Succeeded");
  }

  private AgentRun awaitRun(String name, Predicate<AgentRun> condition) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> harness.run(name), r -> r != null && condition.test(r));
  }

  private static AgentRunPhase phase(AgentRun run) {
    return run.getStatus() == null ? null : run.getStatus().getPhase();
  }
}
