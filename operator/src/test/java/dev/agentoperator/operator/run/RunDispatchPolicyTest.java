package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import dev.agentoperator.operator.runnerclient.RunnerClient;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import dev.agentoperator.operator.session.RunnerTokenSecret;
import dev.agentoperator.operator.session.SessionNames;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.testing.Crds;
import dev.agentoperator.operator.testing.FakeRunner;
import dev.agentoperator.operator.testing.MutableClock;
import dev.agentoperator.operator.testing.Resources;
import dev.agentoperator.operator.testing.RunScript;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatch step against the mock API server in CRUD mode, with the informer cache left out on
 * purpose: a session that exists in the API but not (yet) in the cache. The run is sent with the
 * session's policy, read from the API, or not sent at all; never with a guessed one.
 */
@EnableKubernetesMockClient(crud = true)
class RunDispatchPolicyTest {

  private static final String NAMESPACE = "agents";
  private static final String TOKEN = "runner-token-for-dispatch-test";

  KubernetesMockServer server;
  KubernetesClient client;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final RunSettings settings =
      new RunSettings(
          3,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          RunnerEventSource.Settings.defaults());
  private FakeRunner fakeRunner;
  private RunLifecycle lifecycle;
  private final List<ResourceID> dispatched = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Crds.install(client);
    int port = freePort();
    fakeRunner = new FakeRunner("127.0.0.1", port, prompt -> RunScript.steps(1));
    fakeRunner.start(TOKEN);
    RunnerClient runner = new RunnerClient(port);
    lifecycle =
        RunLifecycle.create(
            runner,
            new RunnerEventSource(runner, settings.events()),
            new SessionSandboxes(id -> Optional.empty()),
            new RunStatusFactory(new RunConditions(new Conditions(clock)), clock),
            settings,
            clock,
            run -> readyPod(RunQueue.sessionOf(run)),
            (namespace, session) -> List.of());
  }

  @AfterEach
  void stop() {
    dispatched.forEach(lifecycle::forget);
    fakeRunner.close();
  }

  @Test
  void shouldSendTheSessionsPolicyWhenTheSessionIsInTheApiButNotYetInTheCache() {
    // given: the ephemeral session was just created; the informer has not seen it
    AgentRun run = templateRun("fresh", policy(List.of("read_file"), List.of(), List.of("shell")));
    AgentSession session = client.resource(EphemeralSession.desired(run)).create();
    tokenSecret(session.getMetadata().getName());

    // when: dispatched the instant the session appears, with nothing cached
    AgentRunStatus before = new AgentRunStatus().setSession(session.getMetadata().getName());
    AgentRunStatus status = lifecycle.advance(step(run, before, null)).status();

    // then
    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.Running);
    JsonNode tools = fakeRunner.run(run.getMetadata().getUid()).request().path("tools");
    assertThat(tools.toString())
        .isEqualTo("{\"allow\":[\"read_file\"],\"ask\":[],\"deny\":[\"shell\"]}");
  }

  @Test
  void shouldWaitQueuedWithAMessageWhileTheSessionCannotBeRead() {
    // given: a session that is neither cached nor in the API yet
    AgentRun run = templateRun("early", policy(List.of("*"), List.of(), List.of()));
    String sessionName = EphemeralSession.nameFor(run);
    tokenSecret(sessionName);

    // when
    AgentRunStatus status =
        lifecycle.advance(step(run, new AgentRunStatus().setSession(sessionName), null)).status();

    // then
    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.Queued);
    assertThat(status.getMessage())
        .contains("waiting for AgentSession '" + sessionName + "'")
        .contains("tool policy");
    assertThat(fakeRunner.requests()).noneMatch(r -> r.startsWith("PUT "));
  }

  @Test
  void shouldNotDispatchIntoASessionOfTheSameNameThatIsNotTheRuns() {
    // given: someone else's session holds the ephemeral session's name, with a wide policy
    AgentRun run = templateRun("squatted", policy(List.of("read_file"), List.of(), List.of()));
    AgentSession foreign = new AgentSession();
    foreign.setMetadata(
        new ObjectMetaBuilder()
            .withName(EphemeralSession.nameFor(run))
            .withNamespace(NAMESPACE)
            .build());
    foreign.setSpec(spec(policy(List.of("*"), List.of(), List.of())));
    client.resource(foreign).create();
    tokenSecret(EphemeralSession.nameFor(run));

    // when
    AgentRunStatus before = new AgentRunStatus().setSession(EphemeralSession.nameFor(run));
    AgentRunStatus status = lifecycle.advance(step(run, before, null)).status();

    // then
    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.Queued);
    assertThat(fakeRunner.requests()).noneMatch(r -> r.startsWith("PUT "));
  }

  @Test
  void shouldSendADenyAllPolicyWhenNeitherRunNorSessionHasOne() {
    // given: a referenced session without a policy, cached, and a run without one
    AgentSession session = new AgentSession();
    session.setMetadata(new ObjectMetaBuilder().withName("bare").withNamespace(NAMESPACE).build());
    session.setSpec(spec(null));
    session = client.resource(session).create();
    tokenSecret("bare");
    AgentRun run = client.resource(withUid(Resources.run("plain", "bare", "do it"))).create();

    // when
    AgentRunStatus status =
        lifecycle.advance(step(run, new AgentRunStatus().setSession("bare"), session)).status();

    // then
    assertThat(status.getPhase()).isEqualTo(AgentRunPhase.Running);
    assertThat(fakeRunner.run(run.getMetadata().getUid()).request().path("tools").toString())
        .isEqualTo("{\"allow\":[],\"ask\":[],\"deny\":[]}");
  }

  private AgentRun templateRun(String name, ToolPolicySpec sessionPolicy) {
    AgentRun run =
        Resources.run(
            name,
            AgentRunSpec.builder().sessionTemplate(spec(sessionPolicy)).prompt("do it").build());
    return client.resource(withUid(run)).create();
  }

  private static AgentRun withUid(AgentRun run) {
    run.getMetadata().setUid(UUID.randomUUID().toString());
    return run;
  }

  private static AgentSessionSpec spec(ToolPolicySpec tools) {
    AgentSessionSpec base = Resources.sessionSpec();
    return base.toBuilder().tools(tools).build();
  }

  private static ToolPolicySpec policy(List<String> allow, List<String> ask, List<String> deny) {
    return new ToolPolicySpec(allow, ask, deny);
  }

  private void tokenSecret(String session) {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SessionNames.runnerTokenSecret(session))
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToStringData(RunnerTokenSecret.TOKEN_KEY, TOKEN)
                .build())
        .create();
  }

  private static Pod readyPod(String session) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(SessionNames.pod(session))
        .withNamespace(NAMESPACE)
        .withUid("pod-uid-" + session)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP("127.0.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private RunLifecycle.Step step(AgentRun run, AgentRunStatus status, AgentSession cached) {
    dispatched.add(ResourceID.fromResource(run));
    MilestoneEvents events =
        new MilestoneEvents(null, clock) {
          @Override
          public void record(AgentRun r, Milestone milestone, String message) {}
        };
    return new RunLifecycle.Step(run, status, client, events, cached, s -> {});
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
