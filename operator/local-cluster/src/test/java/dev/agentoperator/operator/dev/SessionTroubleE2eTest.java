package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.status.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user sees of a session whose pod cannot become ready, on the local cluster with real
 * runner processes: the reason reaches the session's PodReady condition and the waiting run's
 * message. And an ephemeral session's pod goes away once its run is done.
 */
class SessionTroubleE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("session-trouble").applying(MODEL_KEY_SECRET);

  @Test
  void shouldShowWhyTheInitContainerFailsOnTheSessionAndTheWaitingRun() {
    // given a session whose git URL the init container cannot clone (no CRD schema runs locally)
    cluster.apply(
        session("bad-git", model, "allow: [shell]", "  workspace:\n    git: {url: \"foo://example.invalid/repo.git\"}")
            + run("bad-git-run", "bad-git", "hello"));

    // then the waiting run's message carries what init-workspace printed, not only its exit code
    AgentRun run =
        await()
            .atMost(LocalClusterExtension.RUN_TIMEOUT)
            .until(
                () -> cluster.run("bad-git-run"),
                r -> r.getStatus() != null
                    && r.getStatus().getMessage() != null
                    && r.getStatus().getMessage().contains("init-workspace: "));
    assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Queued);
    assertThat(run.getStatus().getMessage()).contains("init container init-workspace");
    assertThat(podReadyMessage("bad-git")).contains("init-workspace: ");
  }

  @Test
  void shouldNameAMissingCassetteConfigMapOnTheSessionAndTheWaitingRun() {
    // given a replay session whose cassette ConfigMap does not exist
    cluster.apply(
        """
        ---
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentSession
        metadata: {name: no-cassette}
        spec:
          model:
            provider: replay
            cassetteRef: {name: missing-cassette, key: cassette.yaml}
          tools:
            allow: [shell]
        """
            + run("no-cassette-run", "no-cassette", "hello"));

    // then the run says which ConfigMap is missing
    AgentRun run =
        await()
            .atMost(LocalClusterExtension.RUN_TIMEOUT)
            .until(
                () -> cluster.run("no-cassette-run"),
                r -> r.getStatus() != null
                    && r.getStatus().getMessage() != null
                    && r.getStatus().getMessage().contains("ConfigMap 'missing-cassette'"));
    assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Queued);
    assertThat(podReadyMessage("no-cassette")).contains("ConfigMap 'missing-cassette'");
  }

  @Test
  void shouldDeleteAnEphemeralSessionsPodOnceItsRunIsDone() {
    // given a run with its own session
    model.script("[ephemeral]", say("done"));
    cluster.apply(
        """
        ---
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentRun
        metadata: {name: once}
        spec:
          prompt: "[ephemeral] go"
          limits: {maxSteps: 5, timeout: 5m}
          sessionTemplate:
            model:
              provider: openai
              baseUrl: "%s"
              name: scripted
              apiKeySecretRef: {name: model-key, key: api-key}
            tools:
              allow: [shell]
        """
            .formatted(model.baseUrl()));

    // when it succeeds
    cluster.awaitPhase("once", AgentRunPhase.Succeeded);

    // then its session's pod goes away (no CPU held), the session stays with the run
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.pod("once-session-sandbox").isEmpty());
    AgentSession session =
        cluster.client().resources(AgentSession.class).inNamespace(LocalClusterExtension.NS)
            .withName("once-session").get();
    assertThat(session).isNotNull();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(podReadyReason("once-session")).isEqualTo("RunFinished"));
  }

  private static String podReadyMessage(String session) {
    return podReady(session).getMessage();
  }

  private static String podReadyReason(String session) {
    return podReady(session).getReason();
  }

  private static io.fabric8.kubernetes.api.model.Condition podReady(String session) {
    AgentSession s =
        cluster.client().resources(AgentSession.class).inNamespace(LocalClusterExtension.NS)
            .withName(session).get();
    return Conditions.find(s.getStatus().getConditions(), "PodReady").orElseThrow();
  }
}
