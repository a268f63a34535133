package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.status.ReconcileErrors;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An exception while reconciling a run reaches the run's conditions, with retry and backoff. */
class AgentRunErrorStatusTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  private final AgentRunReconciler reconciler =
      new AgentRunReconciler(
          new RunnerClient(1),
          new RunSettings(
              3,
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              new RunnerEventSource.Settings(1, Duration.ofMillis(100), Duration.ofSeconds(1))),
          CLOCK);

  @Test
  void shouldTurnAnApiServerErrorIntoReadyUnknownAndStalledOnTheRun() {
    // given a queued run
    AgentRun run = run();

    // when the API server answers 503
    var unavailable =
        new KubernetesClientException("the server is currently unable to handle the request", 503, null);
    var control = reconciler.updateErrorStatus(run, null, unavailable);

    // then the status recorded says so, on a copy (the run read is not edited)
    AgentRun patched = reconciler.withErrorStatus(run, unavailable);
    assertThat(run.getStatus().getConditions()).isNullOrEmpty();
    assertThat(Conditions.find(patched.getStatus().getConditions(), "Ready"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("KubernetesApiUnavailable");
              assertThat(c.getMessage()).contains("unable to handle the request");
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
            });
    assertThat(Conditions.isTrue(patched.getStatus().getConditions(), "Stalled")).isTrue();
    assertThat(patched.getStatus().getPhase()).isEqualTo(AgentRunPhase.Queued);
    assertThat(control.isNoRetry()).as("JOSDK retries with backoff").isFalse();
  }

  @Test
  void shouldTurnAnUnexpectedExceptionIntoAConditionWithABoundedMessage() {
    var failed = reconciler.withErrorStatus(run(), new NullPointerException("x".repeat(20_000)));

    var ready = Conditions.find(failed.getStatus().getConditions(), "Ready").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("ReconcileError");
    assertThat(ready.getMessage()).hasSizeLessThan(1100).contains("NullPointerException");
  }

  @Test
  void shouldOnlyRetryAConflictWithoutACondition() {
    var control =
        reconciler.updateErrorStatus(
            run(), null, new KubernetesClientException("the object has been modified", 409, null));

    assertThat(control.isDefaultErrorProcessing()).isTrue();
  }

  @Test
  void shouldLookAgainLaterInsteadOfGivingUpAfterTheLastRetry() {
    var control =
        reconciler.updateErrorStatus(run(), lastAttempt(), new IllegalStateException("boom"));

    assertThat(control.isNoRetry()).isTrue();
    assertThat(control.getScheduleDelay()).contains(ReconcileErrors.AFTER_RETRIES.toMillis());
  }

  private static AgentRun run() {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder().withName("r").withNamespace("agents").withGeneration(2L).build());
    run.setStatus(new AgentRunStatus().setPhase(AgentRunPhase.Queued));
    return run;
  }

  @SuppressWarnings("unchecked")
  private static Context<AgentRun> lastAttempt() {
    RetryInfo retry =
        new RetryInfo() {
          @Override
          public int getAttemptCount() {
            return 5;
          }

          @Override
          public boolean isLastAttempt() {
            return true;
          }
        };
    return (Context<AgentRun>)
        Proxy.newProxyInstance(
            Context.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                method.getName().equals("getRetryInfo") ? Optional.of(retry) : null);
  }
}
