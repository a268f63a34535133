package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.OperatorMain;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.SandboxSpec;
import dev.agentoperator.operator.api.v1alpha1.SecretKeyRef;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.Crds;
import dev.agentoperator.operator.testing.MutableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session reconciler inside the real operator wiring, against the mock API server. */
@EnableKubernetesMockClient(crud = true)
class AgentSessionReconcilerTest {

  static KubernetesClient client;

  private static final MutableClock CLOCK =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private static final OperatorConfig CONFIG =
      OperatorConfig.fromEnv(
          Map.of(
              "AGENT_OPERATOR_POD_RECREATE_BACKOFF", "1s",
              "AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX", "4s",
              "AGENT_OPERATOR_METRICS_PORT", "0"));
  private static OperatorMain.RunningOperator operator;

  @BeforeAll
  static void startOperator() {
    Crds.install(client);
    operator = OperatorMain.start(client, CONFIG, CLOCK);
  }

  @AfterAll
  static void stopOperator() {
    operator.stop();
  }

  @Test
  void shouldGiveANewSessionItsClaimTokenSecretPodAndNetworkPolicy() {
    // given / when
    create(session("new-session", "basic", s -> s));

    // then
    Pod pod = awaitPod("new-session", "basic-sandbox");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("basic"));
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace("new-session")
                .withName("basic-workspace")
                .get())
        .isNotNull();
    assertThat(
            client
                .network()
                .networkPolicies()
                .inNamespace("new-session")
                .withName("basic-sandbox")
                .get())
        .isNotNull();
    assertThat(RunnerTokenSecret.tokenOf(tokenSecret("new-session", "basic")))
        .hasSizeGreaterThan(40);
    AgentSession session =
        awaitStatus("new-session", "basic", s -> s.getStatus().getPodName() != null);
    assertThat(session.getStatus().getPhase()).isEqualTo(AgentSessionPhase.Pending);
    assertThat(session.getStatus().getWorkspaceClaim()).isEqualTo("basic-workspace");
    assertThat(session.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(Conditions.find(session.getStatus().getConditions(), "PodReady"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(session.getStatus().getConditions())
        .extracting(c -> c.getType())
        .containsExactlyInAnyOrder(
            "Accepted", "WorkspaceReady", "PodReady", "Ready", "Reconciling", "Stalled");
    assertThat(Conditions.isTrue(session.getStatus().getConditions(), "Reconciling"))
        .as("kstatus sees a session still setting up its pod as in progress")
        .isTrue();
  }

  @Test
  void shouldNameAMissingSecretInPodReadyUntilItIsCreated() {
    // given a session whose model key Secret "openai" does not exist
    create(session("missing-ref", "s", s -> s));
    awaitPod("missing-ref", "s-sandbox");

    // then PodReady names it
    AgentSession waiting =
        awaitStatus(
            "missing-ref",
            "s",
            s ->
                Conditions.find(s.getStatus().getConditions(), "PodReady")
                    .filter(c -> "MissingReference".equals(c.getReason()))
                    .isPresent());
    assertThat(Conditions.find(waiting.getStatus().getConditions(), "PodReady").orElseThrow()
            .getMessage())
        .contains("Secret 'openai' does not exist in namespace missing-ref");

    // and once it exists, it is no longer named
    client
        .secrets()
        .inNamespace("missing-ref")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("openai")
                .endMetadata()
                .addToStringData("key", "k")
                .build())
        .create();
    awaitStatus(
        "missing-ref",
        "s",
        s ->
            Conditions.find(s.getStatus().getConditions(), "PodReady")
                .filter(c -> !"MissingReference".equals(c.getReason()))
                .isPresent());
  }

  @Test
  void shouldReportReadyWhenThePodIsReady() {
    // given
    create(session("ready", "s", s -> s));
    awaitPod("ready", "s-sandbox");

    // when
    markPodReady("ready", "s-sandbox");

    // then
    AgentSession session =
        awaitStatus("ready", "s", s -> s.getStatus().getPhase() == AgentSessionPhase.Ready);
    assertThat(Conditions.isTrue(session.getStatus().getConditions(), "Ready")).isTrue();
    assertThat(Conditions.isTrue(session.getStatus().getConditions(), "WorkspaceReady")).isTrue();
    assertThat(session.getStatus().getConditions()).hasSize(6);
    assertThat(Conditions.isTrue(session.getStatus().getConditions(), "Reconciling")).isFalse();
    assertThat(Conditions.isTrue(session.getStatus().getConditions(), "Stalled")).isFalse();
  }

  @Test
  void shouldRejectABadQuantityWithAConditionInsteadOfCrashLoopingAndKeepServingOthers() {
    // given a session the CRD of an older release let through: cpu "lots"
    create(
        session(
            "quantity",
            "lots",
            s -> withResources(s, Map.of("cpu", new Quantity("lots")))));
    create(session("quantity", "fine", s -> withResources(s, Map.of("cpu", new Quantity("500m")))));

    // then the bad one says what to change, and nothing is built from it
    AgentSession bad =
        awaitStatus("quantity", "lots", s -> s.getStatus().getPhase() == AgentSessionPhase.Failed);
    assertThat(Conditions.find(bad.getStatus().getConditions(), "Accepted"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
              assertThat(c.getMessage())
                  .contains("spec.sandbox.resources.limits.cpu: 'lots' is not a Kubernetes quantity");
            });
    assertThat(Conditions.isTrue(bad.getStatus().getConditions(), "Stalled")).isTrue();
    assertThat(pod("quantity", "lots-sandbox")).isNull();
    // and the other session in the namespace is unaffected
    awaitPod("quantity", "fine-sandbox");
  }

  @Test
  void shouldNameAFailingInitContainerAndItsLastMessageInPodReady() {
    // given a session whose workspace cannot be cloned
    create(session("init-fails", "s", s -> s));
    Pod pod = awaitPod("init-fails", "s-sandbox");

    // when its init container keeps failing
    client
        .pods()
        .inNamespace("init-fails")
        .resource(
            new PodBuilder(pod)
                .editOrNewStatus()
                .withPhase("Pending")
                .addNewInitContainerStatus()
                .withName("prepare-workspace")
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(128)
                .withMessage("fatal: repository 'https://example.com/nope.git/' not found")
                .endTerminated()
                .endLastState()
                .endInitContainerStatus()
                .endStatus()
                .build())
        .updateStatus();

    // then
    AgentSession session =
        awaitStatus(
            "init-fails",
            "s",
            s ->
                Conditions.find(s.getStatus().getConditions(), "PodReady")
                    .map(c -> "CrashLoopBackOff".equals(c.getReason()))
                    .orElse(false));
    assertThat(Conditions.find(session.getStatus().getConditions(), "PodReady").orElseThrow().getMessage())
        .contains("init container prepare-workspace CrashLoopBackOff (exit code 128)")
        .contains("repository 'https://example.com/nope.git/' not found");
  }

  @Test
  void shouldRecreateTheRunnerTokenSecretWhenItDisappears() {
    // given
    create(session("secret-gone", "s", s -> s));
    awaitPod("secret-gone", "s-sandbox");
    await().atMost(Duration.ofSeconds(10)).until(() -> tokenSecret("secret-gone", "s") != null);

    // when someone deletes the Secret
    client.resource(tokenSecret("secret-gone", "s")).delete();

    // then the session puts one back and stays healthy
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> tokenSecret("secret-gone", "s") != null);
    AgentSession session = awaitStatus("secret-gone", "s", s -> true);
    assertThat(Conditions.find(session.getStatus().getConditions(), "Ready"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isNotEqualTo("Unknown"));
  }

  @Test
  void shouldNotRotateTheTokenSecretWhenTheSessionIsReconciledAgain() {
    // given
    create(session("token", "s", s -> s));
    awaitPod("token", "s-sandbox");
    String token = RunnerTokenSecret.tokenOf(tokenSecret("token", "s"));

    // when the spec changes, so the session is reconciled again
    edit("token", "s", spec -> withIdleTimeout(spec, "5h"));
    awaitStatus("token", "s", s -> s.getStatus().getObservedGeneration() == 2L);

    // then
    assertThat(RunnerTokenSecret.tokenOf(tokenSecret("token", "s"))).isEqualTo(token);
  }

  @Test
  void shouldRecreateThePodOnASpecChangeOnlyOnceNoRunIsActive() {
    // given a session whose pod runs an active run
    create(session("recreate", "s", s -> s));
    String oldHash = SandboxPod.specHashOf(awaitPod("recreate", "s-sandbox"));
    AgentRun run = createRun("recreate", "r1", "s");
    setRunPhase(run, AgentRunPhase.Running);
    awaitStatus("recreate", "s", s -> "r1".equals(s.getStatus().getActiveRun()));

    // when the pod-relevant spec changes
    edit("recreate", "s", spec -> withImage(spec, "runner:2"));

    // then the pod is kept while the run is active
    AgentSession session =
        awaitStatus("recreate", "s", s -> s.getStatus().getObservedGeneration() == 2L);
    assertThat(
            Conditions.find(session.getStatus().getConditions(), "PodReady")
                .orElseThrow()
                .getMessage())
        .contains("recreated when run r1 ends");
    assertThat(SandboxPod.specHashOf(pod("recreate", "s-sandbox"))).isEqualTo(oldHash);

    // and when the run ends, the pod is recreated with the new spec
    setRunPhase(
        client.resources(AgentRun.class).inNamespace("recreate").withName("r1").get(),
        AgentRunPhase.Succeeded);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod pod = pod("recreate", "s-sandbox");
              assertThat(pod).isNotNull();
              assertThat(pod.getSpec().getContainers())
                  .filteredOn(c -> c.getName().equals(SandboxPod.SANDBOX_CONTAINER))
                  .singleElement()
                  .satisfies(c -> assertThat(c.getImage()).isEqualTo("runner:2"));
            });
    assertThat(SandboxPod.specHashOf(pod("recreate", "s-sandbox"))).isNotEqualTo(oldHash);
  }

  @Test
  void shouldDeleteTheIdlePodKeepTheClaimAndBringThePodBackForTheNextRun() {
    // given
    create(session("idle", "s", spec -> withIdleTimeout(spec, "30m")));
    awaitPod("idle", "s-sandbox");

    // when the clock passes the idle timeout and the session is looked at again
    CLOCK.advance(Duration.ofMinutes(31));
    markClaimBound("idle", "s-workspace");

    // then
    AgentSession session =
        awaitStatus("idle", "s", s -> s.getStatus().getPhase() == AgentSessionPhase.Idle);
    assertThat(session.getStatus().getPodName()).isNull();
    assertThat(
            Conditions.find(session.getStatus().getConditions(), "Ready").orElseThrow().getReason())
        .isEqualTo("IdleTimeout");
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("idle", "s-sandbox") == null);
    assertThat(client.persistentVolumeClaims().inNamespace("idle").withName("s-workspace").get())
        .isNotNull();

    // and when a run arrives, the pod comes back
    createRun("idle", "next", "s");
    awaitPod("idle", "s-sandbox");
    awaitStatus(
        "idle",
        "s",
        s ->
            s.getStatus().getQueuedRuns() == 1
                && s.getStatus().getPhase() == AgentSessionPhase.Pending);
  }

  @Test
  void shouldDeleteThePodWhileSuspendedAndBringItBackWhenResumed() {
    // given
    create(session("suspend", "s", s -> s));
    awaitPod("suspend", "s-sandbox");

    // when
    edit("suspend", "s", spec -> withSuspend(spec, true));

    // then
    awaitStatus(
        "suspend",
        "s",
        s ->
            s.getStatus().getPhase() == AgentSessionPhase.Idle
                && s.getStatus().getPodName() == null);
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("suspend", "s-sandbox") == null);
    assertThat(client.persistentVolumeClaims().inNamespace("suspend").withName("s-workspace").get())
        .isNotNull();

    // and when resumed
    edit("suspend", "s", spec -> withSuspend(spec, false));
    awaitPod("suspend", "s-sandbox");
  }

  @Test
  void shouldRecreateAFailedPodAfterTheBackoffWithoutShowingTheSessionFailed() {
    // given
    create(session("failed", "s", s -> s));
    Pod pod = awaitPod("failed", "s-sandbox");

    // when the pod fails
    client
        .pods()
        .inNamespace("failed")
        .resource(
            new PodBuilder(pod)
                .editOrNewStatus()
                .withPhase("Failed")
                .withReason("Evicted")
                .endStatus()
                .build())
        .updateStatus();

    // then it is deleted and the session waits out the backoff, Pending: recreating is ordinary
    AgentSession session =
        awaitStatus(
            "failed",
            "s",
            s ->
                s.getStatus().getConditions().stream()
                    .anyMatch(c -> "PodRecreateBackoff".equals(c.getReason())));
    assertThat(session.getStatus().getPhase()).isEqualTo(AgentSessionPhase.Pending);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Pod current = pod("failed", "s-sandbox");
              return current == null
                  || !pod.getMetadata().getUid().equals(current.getMetadata().getUid());
            });

    // and once the backoff has passed, a new pod is created
    CLOCK.advance(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod current = pod("failed", "s-sandbox");
              assertThat(current).isNotNull();
              assertThat(current.getMetadata().getUid()).isNotEqualTo(pod.getMetadata().getUid());
            });
  }

  @Test
  void shouldRecreateAPodDeletedBySomeoneElseAfterTheBackoff() {
    // given
    create(session("deleted", "s", s -> s));
    Pod pod = awaitPod("deleted", "s-sandbox");
    awaitStatus("deleted", "s", s -> s.getStatus().getPodName() != null);

    // when someone deletes the pod
    client.resource(pod).delete();

    // then the session reports the backoff, and a new pod comes once it has passed
    awaitStatus(
        "deleted",
        "s",
        s ->
            Conditions.find(s.getStatus().getConditions(), "PodReady")
                .map(c -> "PodRecreateBackoff".equals(c.getReason()))
                .orElse(false));
    CLOCK.advance(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod current = pod("deleted", "s-sandbox");
              assertThat(current).isNotNull();
              assertThat(current.getMetadata().getUid()).isNotEqualTo(pod.getMetadata().getUid());
            });
  }

  @Test
  void shouldGrowTheWorkspaceClaimWhenTheSessionAsksForMoreAndNeverShrinkIt() {
    // given
    create(session("grow", "s", spec -> withWorkspaceSize(spec, "2Gi")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> claimStorage("grow", "s-workspace"), "2Gi"::equals);

    // when
    edit("grow", "s", spec -> withWorkspaceSize(spec, "5Gi"));

    // then
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> claimStorage("grow", "s-workspace"), "5Gi"::equals);

    // and when the session asks for less, the claim keeps its size
    edit("grow", "s", spec -> withWorkspaceSize(spec, "1Gi"));
    awaitStatus("grow", "s", s -> s.getStatus().getObservedGeneration() == 3L);
    assertThat(claimStorage("grow", "s-workspace")).isEqualTo("5Gi");
  }

  // --- helpers

  private static String claimStorage(String namespace, String name) {
    var claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    return claim == null ? null : WorkspaceClaim.requestedStorage(claim).toString();
  }

  private static AgentSessionSpec withWorkspaceSize(AgentSessionSpec s, String size) {
    return s.toBuilder()
        .workspace(new dev.agentoperator.operator.api.v1alpha1.WorkspaceSpec(size, null, null))
        .build();
  }

  private static AgentSession session(
      String namespace, String name, UnaryOperator<AgentSessionSpec> customize) {
    AgentSession session = new AgentSession();
    session.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    session.setSpec(
        customize.apply(
            AgentSessionSpec.builder()
                .model(ModelSpec.builder()
                    .provider(ModelProvider.openai)
                    .name("gpt-4o-mini")
                    .apiKeySecretRef(new SecretKeyRef("openai", "key"))
                    .build())
                .build()));
    return session;
  }

  private static AgentSessionSpec withIdleTimeout(AgentSessionSpec s, String timeout) {
    return s.toBuilder().idleTimeout(timeout).build();
  }

  private static AgentSessionSpec withResources(
      AgentSessionSpec s, Map<String, Quantity> limits) {
    return s.toBuilder()
        .sandbox(
            SandboxSpec.builder()
                .resources(new ResourceRequirementsBuilder().withLimits(limits).build())
                .build())
        .build();
  }

  private static AgentSessionSpec withSuspend(AgentSessionSpec s, boolean suspend) {
    return s.toBuilder().suspend(suspend).build();
  }

  private static AgentSessionSpec withImage(AgentSessionSpec s, String image) {
    return s.toBuilder()
        .sandbox(SandboxSpec.builder().image(image).build())
        .build();
  }

  private static void create(AgentSession session) {
    client.resource(session).create();
  }

  /** Edits the spec, retrying when the operator's status write got there first (409). */
  private static void edit(String namespace, String name, UnaryOperator<AgentSessionSpec> change) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              client
                  .resources(AgentSession.class)
                  .inNamespace(namespace)
                  .withName(name)
                  .edit(
                      s -> {
                        s.setSpec(change.apply(s.getSpec()));
                        return s;
                      });
              return true;
            });
  }

  private static void markClaimBound(String namespace, String name) {
    var claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    client
        .persistentVolumeClaims()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(claim)
                .editOrNewStatus()
                .withPhase("Bound")
                .endStatus()
                .build())
        .updateStatus();
  }

  private static AgentRun createRun(String namespace, String name, String session) {
    AgentRun run = new AgentRun();
    run.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    run.setSpec(
        AgentRunSpec.builder().sessionRef(new SessionRef(session)).prompt("do the thing").build());
    return client.resource(run).create();
  }

  /**
   * Plays the run side: once the operator's run reconciler has written the run's first status (so
   * it does not overwrite ours later), sets the phase on a fresh copy, again after a conflict.
   */
  private static void setRunPhase(AgentRun run, AgentRunPhase phase) {
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              AgentRun fresh = client.resource(run).get();
              AgentRunStatus status = fresh.getStatus();
              if (status == null || status.getPhase() == null) {
                return false;
              }
              status.setPhase(phase);
              status.setSession(fresh.getSpec().sessionRef().name());
              status.setStartTime(CLOCK.instant().toString());
              client.resource(fresh).updateStatus();
              return true;
            });
  }


  private static void markPodReady(String namespace, String name) {
    Pod pod = pod(namespace, name);
    client
        .pods()
        .inNamespace(namespace)
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
  }

  private static Pod pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  private static Secret tokenSecret(String namespace, String session) {
    return client
        .secrets()
        .inNamespace(namespace)
        .withName(SessionNames.runnerTokenSecret(session))
        .get();
  }

  private static Pod awaitPod(String namespace, String name) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> pod(namespace, name), p -> p != null);
  }

  private static AgentSession awaitStatus(
      String namespace, String name, java.util.function.Predicate<AgentSession> condition) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.resources(AgentSession.class).inNamespace(namespace).withName(name).get(),
            s -> s != null && s.getStatus() != null && condition.test(s));
  }
}
