package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.status.ConditionStatus;
import dev.agentoperator.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSessionErrorStatusTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private final AgentSessionReconciler reconciler =
      new AgentSessionReconciler(OperatorConfig.defaults(), CLOCK, new SecureRandom());

  @Test
  void shouldTurnAFailedApiCallIntoReadyUnknownAndKeepTheOtherConditions() {
    // given a ready session
    AgentSession session = SandboxPodTest.session("s", null, null);
    session.getMetadata().setGeneration(4L);
    Conditions conditions = new Conditions(CLOCK);
    session.setStatus(
        new AgentSessionStatus()
            .setConditions(
                conditions.set(
                    conditions.set(
                        List.of(), "PodReady", ConditionStatus.True, "PodReady", "ready", 3L),
                    "Ready",
                    ConditionStatus.True,
                    "SessionReady",
                    "ready",
                    3L)));

    // when creating the pod is forbidden
    AgentSession patched =
        reconciler.withErrorStatus(
            session,
            new KubernetesClientException("pods is forbidden: cannot create pods", 403, null));

    // then
    assertThat(Conditions.find(patched.getStatus().getConditions(), "Ready"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("KubernetesApiError");
              assertThat(c.getMessage()).contains("pods is forbidden");
              assertThat(c.getObservedGeneration()).isEqualTo(4L);
            });
    assertThat(Conditions.isTrue(patched.getStatus().getConditions(), "PodReady")).isTrue();
  }

  @Test
  void shouldMarkTheSessionStalledWhileTheApiServerIsUnavailable() {
    // given
    AgentSession session = SandboxPodTest.session("s", null, null);
    session.getMetadata().setGeneration(1L);

    // when the API server answers 503
    var unavailable = new KubernetesClientException("etcd is unavailable", 503, null);
    var control = reconciler.updateErrorStatus(session, null, unavailable);

    // then
    var conditions = reconciler.withErrorStatus(session, unavailable).getStatus().getConditions();
    assertThat(Conditions.find(conditions, "Ready"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("KubernetesApiUnavailable");
              assertThat(c.getMessage()).contains("etcd is unavailable");
            });
    assertThat(Conditions.isTrue(conditions, "Stalled")).isTrue();
    assertThat(Conditions.isTrue(conditions, "Reconciling")).isFalse();
    assertThat(control.isNoRetry()).as("retried with JOSDK's backoff").isFalse();
  }

  @Test
  void shouldLeaveAConflictToJosdksRetryWithoutACondition() {
    var control =
        reconciler.updateErrorStatus(
            SandboxPodTest.session("s", null, null),
            null,
            new KubernetesClientException("the object has been modified", 409, null));

    assertThat(control.isDefaultErrorProcessing()).isTrue();
  }
}
