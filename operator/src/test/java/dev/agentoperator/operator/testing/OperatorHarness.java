package dev.agentoperator.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.OperatorMain;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.run.RunSettings;
import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The whole operator against the Fabric8 mock API server in CRUD mode, with a {@link Kubelet} that
 * starts a {@link FakeRunner} for every sandbox pod. Tests create AgentSessions and AgentRuns
 * through {@link #client()} and watch what the operator makes of them.
 */
public final class OperatorHarness implements AutoCloseable {

  public static final String NAMESPACE = "agents";

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Kubelet kubelet;
  private final int runnerPort;
  private final Map<String, List<String>> phases = new java.util.concurrent.ConcurrentHashMap<>();
  private io.fabric8.kubernetes.client.informers.SharedIndexInformer<AgentRun> runWatch;
  private OperatorMain.RunningOperator operator;
  private KubernetesClient operatorClient;

  /** The user agent of the operator's own client, to tell its API requests from the test's. */
  public static final String OPERATOR_AGENT = "agent-operator-under-test";

  public OperatorHarness(
      KubernetesMockServer server, KubernetesClient client, Function<String, RunScript> scripts)
      throws IOException {
    this.server = server;
    this.client = client;
    this.runnerPort = freePort();
    this.kubelet = new Kubelet(client, runnerPort, scripts);
  }

  /** Registers the CRDs, starts the kubelet and the operator. */
  public OperatorHarness start() throws IOException {
    try (Stream<Path> crds = Files.list(Path.of("../crds"))) {
      for (Path crd : crds.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        try (InputStream in = Files.newInputStream(crd)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    }
    kubelet.start();
    runWatch =
        client
            .resources(AgentRun.class)
            .inAnyNamespace()
            .inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                  @Override
                  public void onAdd(AgentRun run) {
                    notePhase(run);
                  }

                  @Override
                  public void onUpdate(AgentRun old, AgentRun run) {
                    notePhase(run);
                  }

                  @Override
                  public void onDelete(AgentRun run, boolean unknown) {}
                });
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.of(
                "AGENT_OPERATOR_RUNNER_PORT", String.valueOf(runnerPort),
                "AGENT_OPERATOR_METRICS_PORT", "0",
                "AGENT_OPERATOR_MAX_ATTEMPTS", "3",
                "AGENT_OPERATOR_STATUS_WRITE_INTERVAL", "1s",
                "AGENT_OPERATOR_POD_RECREATE_BACKOFF", "200ms",
                "AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX", "1s"));
    RunSettings settings =
        new RunSettings(
            config.maxAttempts(),
            config.statusWriteInterval(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            new RunnerEventSource.Settings(2, Duration.ofMillis(100), Duration.ofSeconds(1)));
    operatorClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_AGENT).build())
            .build();
    operator = OperatorMain.start(operatorClient, config, Clock.systemUTC(), settings);
    return this;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The operator under test (its meters, e.g. reconciliations), once started. */
  public OperatorMain.RunningOperator operator() {
    return operator;
  }

  /** Stops the operator only (its informers and caches go), the kubelet and runners stay. */
  public void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  /** Creates the Secret that sessions in these tests name as their model API key. */
  public void createModelKeySecret() {
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("model-key")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToStringData("apiKey", "sk-test-never-logged")
                .build())
        .create();
  }

  public AgentSession create(AgentSession session) {
    return client.resource(session).create();
  }

  public AgentRun create(AgentRun run) {
    return client.resource(run).create();
  }

  private void notePhase(AgentRun run) {
    if (run.getStatus() == null || run.getStatus().getPhase() == null) {
      return;
    }
    List<String> seen =
        phases.computeIfAbsent(
            run.getMetadata().getName(), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
    String phase = run.getStatus().getPhase().name();
    if (seen.isEmpty() || !seen.getLast().equals(phase)) {
      seen.add(phase);
    }
  }

  /** The phases the run went through, as a watcher saw them, without repeats. */
  public List<String> phaseHistory(String name) {
    return List.copyOf(phases.getOrDefault(name, List.of()));
  }

  /** The run as stored now. */
  public AgentRun run(String name) {
    return client.resources(AgentRun.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** Waits until the session's sandbox pod was started by the kubelet. */
  public void awaitSandboxRunning(String session) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> kubelet.runnerOf(session) != null && kubelet.runnerOf(session).isServing());
  }

  /** The reasons of the Kubernetes Events recorded for the object called {@code name}. */
  public List<String> eventReasons(String name) {
    return events(name).stream().map(Event::getReason).toList();
  }

  /** The Events recorded for the object called {@code name}, oldest first. */
  public List<Event> events(String name) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(
            (a, b) ->
                a.getMetadata().getCreationTimestamp() == null
                    ? 0
                    : a.getMetadata()
                        .getCreationTimestamp()
                        .compareTo(b.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /** Forgets the API requests the mock server has recorded so far. */
  public void clearRecordedRequests() throws InterruptedException {
    while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
      // drained
    }
  }

  /** The operator's own API requests since the last clear, oldest first. */
  public List<ApiCall> operatorRequests() throws InterruptedException {
    List<ApiCall> calls = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      if (OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
        calls.add(ApiCall.of(request));
      }
    }
    return calls;
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.stop();
    }
    if (runWatch != null) {
      runWatch.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    kubelet.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
