package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session's decide step as a table: an observation in, the next phase and the actions out.
 * Pure: no client, a clock the test holds.
 */
class SessionDeciderTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final OperatorConfig CONFIG = OperatorConfig.defaults();

  private final SessionDecider decider =
      new SessionDecider(CONFIG, new SessionStatusFactory(new Conditions(new MutableClock(NOW))));

  /** One row: what was seen, and the phase and action kinds the decision must come to. */
  record Row(
      String given,
      UnaryOperator<Observed> seen,
      AgentSessionPhase phase,
      List<Class<? extends SessionAction>> actions) {
    @Override
    public String toString() {
      return given;
    }
  }

  static Stream<Arguments> table() {
    return Stream.of(
            new Row(
                "new session, nothing made yet → claim, token, policy and pod are created",
                o -> o,
                AgentSessionPhase.Pending,
                List.of(
                    SessionAction.CreateClaim.class,
                    SessionAction.CreateRunnerToken.class,
                    SessionAction.CreateNetworkPolicy.class,
                    SessionAction.CreatePod.class)),
            new Row(
                "everything in place, pod ready → only the backoff is reset",
                o -> o.allMade().pod(ready()),
                AgentSessionPhase.Ready,
                List.of(SessionAction.ResetBackoff.class)),
            new Row(
                "pod starting → nothing to do",
                o -> o.allMade().pod(desiredPod()),
                AgentSessionPhase.Pending,
                List.of()),
            new Row(
                "invalid spec → nothing is acted on",
                o -> o.problems("spec.sandbox.resources: \"lots\" is not a quantity"),
                AgentSessionPhase.Failed,
                List.of()),
            new Row(
                "pod ended Failed → deleted, counted for backoff",
                o -> o.allMade().pod(phase(desiredPod(), "Failed")),
                AgentSessionPhase.Pending,
                List.of(SessionAction.DeletePod.class)),
            new Row(
                "suspended with a pod → the pod is deleted",
                o -> o.allMade().suspended().pod(ready()),
                AgentSessionPhase.Idle,
                List.of(SessionAction.DeletePod.class)),
            new Row(
                "pod vanished unseen → counted as a failure, recreated after the backoff",
                o ->
                    o.allMade()
                        .recreations(
                            new SessionObservation.Recreations(
                                true, Optional.empty(), Duration.ofSeconds(5))),
                AgentSessionPhase.Pending,
                List.of(SessionAction.CountVanishedPod.class)),
            new Row(
                "workspace size grew → the claim asks for more",
                o -> o.allMade().claim(claimOf("1Mi")).pod(ready()),
                AgentSessionPhase.Ready,
                List.of(SessionAction.GrowClaim.class, SessionAction.ResetBackoff.class)),
            new Row(
                "workspace size shrank → the claim keeps its size, said once per reconcile",
                o -> o.allMade().claim(claimOf("1Ti")).pod(ready()),
                AgentSessionPhase.Ready,
                List.of(SessionAction.KeepClaimSize.class, SessionAction.ResetBackoff.class)),
            new Row(
                "network policy edited by hand → put back",
                o -> o.allMade().networkPolicy(editedPolicy()).pod(ready()),
                AgentSessionPhase.Ready,
                List.of(
                    SessionAction.UpdateNetworkPolicy.class, SessionAction.ResetBackoff.class)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void shouldDecideTheNextPhaseAndActions(Row row) {
    SessionDecision decision = decider.decide(row.seen().apply(new Observed()).build());

    assertThat(decision.status().getPhase()).isEqualTo(row.phase());
    assertThat(decision.actions().stream().map(Object::getClass).toList())
        .containsExactlyElementsOf(row.actions());
  }

  @Test
  void shouldPutTheRunnersOwnReasonForNotBeingReadyInPodReady() {
    SessionObservation seen =
        new Observed()
            .allMade()
            .pod(running())
            .runnerNotReady("the workspace /data/workspace is not writable by this process")
            .build();

    SessionDecision decision = decider.decide(seen);

    assertThat(podReady(decision))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("RunnerNotReady");
              assertThat(c.getMessage())
                  .contains("the workspace /data/workspace is not writable by this process");
            });
    assertThat(decision.status().getPhase()).isEqualTo(AgentSessionPhase.Pending);
    assertThat(decision.plan().requeueAfter()).as("asked again until ready").isPresent();
  }

  @Test
  void shouldNameMissingConfigMapsAndSecretsInPodReady() {
    SessionObservation seen =
        new Observed()
            .allMade()
            .pod(desiredPod())
            .missing("ConfigMap 'quickstart-cassette'", "Secret 'model-key'")
            .build();

    SessionDecision decision = decider.decide(seen);

    assertThat(podReady(decision))
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("MissingReference");
              assertThat(c.getMessage())
                  .contains("ConfigMap 'quickstart-cassette'")
                  .contains("Secret 'model-key'")
                  .contains("do not exist");
            });
  }

  @Test
  void shouldDeleteTheEphemeralSessionsPodOnceItsRunIsDone() {
    SessionObservation seen =
        new Observed()
            .allMade()
            .ephemeral()
            .runs(
                new SessionRuns(
                    Optional.empty(), 0, Optional.of(NOW.minusSeconds(5)), Optional.empty()))
            .pod(ready())
            .build();

    SessionDecision decision = decider.decide(seen);

    assertThat(decision.actions()).containsExactly(new SessionAction.DeletePod(false));
    assertThat(decision.status().getPhase()).isEqualTo(AgentSessionPhase.Idle);
    assertThat(podReady(decision).getReason()).isEqualTo("RunFinished");
  }

  @Test
  void shouldKeepTheEphemeralSessionsPodWhileItsRunWaitsOrRuns() {
    SessionObservation seen =
        new Observed()
            .allMade()
            .ephemeral()
            .runs(new SessionRuns(Optional.of("r"), 0, Optional.of(NOW), Optional.empty()))
            .pod(ready())
            .build();

    assertThat(decider.decide(seen).actions()).containsExactly(new SessionAction.ResetBackoff());
  }

  private static io.fabric8.kubernetes.api.model.Condition podReady(SessionDecision decision) {
    return Conditions.find(decision.status().getConditions(), "PodReady").orElseThrow();
  }

  static Pod running() {
    return new PodBuilder(phase(desiredPod(), "Running"))
        .editStatus()
        .withPodIP("10.0.0.7")
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .endCondition()
        .addNewContainerStatus()
        .withName("runner")
        .withReady(false)
        .withNewState()
        .withNewRunning()
        .withStartedAt(NOW.toString())
        .endRunning()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void shouldNotEditTheObservedStatus(Row row) {
    SessionObservation seen = row.seen().apply(new Observed()).build();
    AgentSessionStatus before = seen.session().getStatus();

    decider.decide(seen);

    assertThat(seen.session().getStatus()).isSameAs(before);
    assertThat(before.getConditions()).isEmpty();
  }

  static AgentSession session() {
    AgentSession session = SandboxPodTest.session("s", null, null);
    session.getMetadata().setCreationTimestamp(NOW.minusSeconds(60).toString());
    session.setStatus(new AgentSessionStatus().setConditions(new ArrayList<>()));
    return session;
  }

  static Pod desiredPod() {
    return SandboxPod.desired(session(), CONFIG);
  }

  static Pod ready() {
    return new PodBuilder(phase(desiredPod(), "Running"))
        .editStatus()
        .withPodIP("10.0.0.7")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  static Pod phase(Pod pod, String phase) {
    return new PodBuilder(pod).withNewStatus().withPhase(phase).endStatus().build();
  }

  static PersistentVolumeClaim claimOf(String size) {
    return new PersistentVolumeClaimBuilder(WorkspaceClaim.desired(session(), CONFIG))
        .editSpec()
        .editResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  static NetworkPolicy editedPolicy() {
    return new NetworkPolicyBuilder(SandboxNetworkPolicy.desired(session(), CONFIG))
        .editSpec()
        .withPolicyTypes("Ingress")
        .endSpec()
        .build();
  }

  /** An observation with fluent edits; by default a new, valid session with nothing made yet. */
  static final class Observed {
    private AgentSession session = session();
    private List<String> problems = List.of();
    private Pod pod;
    private PersistentVolumeClaim claim;
    private Set<String> secrets = Set.of();
    private NetworkPolicy networkPolicy;
    private SessionObservation.Recreations recreations = SessionObservation.Recreations.NONE;
    private SessionRuns runs = SessionRuns.NONE;
    private List<String> missing = List.of();
    private Optional<String> runnerNotReady = Optional.empty();

    Observed runs(SessionRuns r) {
      runs = r;
      return this;
    }

    Observed missing(String... references) {
      missing = List.of(references);
      return this;
    }

    Observed runnerNotReady(String reason) {
      runnerNotReady = Optional.of(reason);
      return this;
    }

    Observed ephemeral() {
      session.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of(
          dev.agentoperator.operator.run.EphemeralSession.RUN_LABEL, "r")));
      return this;
    }

    Observed allMade() {
      claim = WorkspaceClaim.desired(session, CONFIG);
      secrets = Set.of(SessionNames.runnerTokenSecret("s"));
      networkPolicy = SandboxNetworkPolicy.desired(session, CONFIG);
      return this;
    }

    Observed problems(String problem) {
      problems = List.of(problem);
      return this;
    }

    Observed pod(Pod p) {
      pod = p;
      return this;
    }

    Observed claim(PersistentVolumeClaim c) {
      claim = c;
      return this;
    }

    Observed networkPolicy(NetworkPolicy p) {
      networkPolicy = p;
      return this;
    }

    Observed recreations(SessionObservation.Recreations r) {
      recreations = r;
      session.getStatus().setPodName("s-sandbox");
      return this;
    }

    Observed suspended() {
      AgentSessionSpec s = session.getSpec();
      session.setSpec(s.toBuilder().suspend(true).build());
      return this;
    }

    SessionObservation build() {
      return new SessionObservation(
          session,
          problems,
          pod != null,
          pod,
          claim,
          secrets,
          networkPolicy,
          runs,
          SessionStatusFactory.lastActivity(session, runs),
          recreations,
          missing,
          runnerNotReady,
          NOW);
    }
  }
}
