package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.Answer;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.dev.cli.ManifestApplier;
import dev.agentoperator.operator.dev.cli.ModelOverrides;
import dev.agentoperator.operator.dev.kubelet.Bubblewrap;
import dev.agentoperator.operator.dev.kubelet.LogSink;
import dev.agentoperator.operator.dev.kubelet.RunnerJarLocator;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import dev.agentoperator.operator.dev.kubelet.SandboxIsolation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local-cluster harness of the end-to-end tests, as a JUnit 5 extension: the embedded API, the
 * production operator, and the runner jar built by this reactor running as real processes. One per
 * test class, started before its first test and stopped after its last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalClusterExtension cluster =
 *     LocalClusterExtension.named("control").applying(E2eYaml.MODEL_KEY_SECRET);
 * }</pre>
 */
public final class LocalClusterExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  static final String NS = "default";

  /**
   * The runners' model retry pauses: 20 ms doubling to 200 ms instead of production's 1 s to 30 s,
   * so a run that retries (the model fault tests) does not sleep through the production backoff.
   */
  static final Map<String, String> SHORT_MODEL_RETRY = Map.of(
      RunnerEnv.MODEL_RETRY_BACKOFF_MS, "20", RunnerEnv.MODEL_RETRY_BACKOFF_MAX_MS, "200");
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

  /**
   * The local kubelet's runtime for every end-to-end class: system property {@code
   * agentoperator.e2e.runtime} ({@code bwrap} by default; the {@code podman} profile sets
   * {@code podman}), so the same classes prove the same behaviour in real containers.
   */
  public static final RuntimeKind RUNTIME =
      RuntimeKind.parse(System.getProperty("agentoperator.e2e.runtime", "bwrap"));

  /**
   * For tests whose boundary is the runtime's isolation: on bwrap, without bubblewrap a
   * developer's machine skips them and CI (which installs it in {@code .ci/run}) fails them; on
   * podman the containers are the boundary (checked when the cluster starts).
   */
  static void requireIsolation() {
    if (RUNTIME == RuntimeKind.BWRAP && Bubblewrap.detect().isEmpty()) {
      assertThat(System.getenv("CI")).as("CI must isolate tools: install bubblewrap")
          .isNotEqualTo("true");
      assumeThat(false).as("bwrap is not available: tools are not isolated here").isTrue();
    }
  }

  /** The repository root, from this module's directory (where surefire runs the tests). */
  public static final Path REPOSITORY = Path.of("..", "..");

  /** A file of the repository's {@code examples/}. */
  public static Path example(String file) {
    return REPOSITORY.resolve("examples").resolve(file);
  }

  private final String name;
  private final Map<String, Callable<Path>> imageDirectories = new LinkedHashMap<>();
  private final List<String> setup = new ArrayList<>();
  private Path runnerJar;
  private RuntimeKind runtime = RUNTIME;
  private SandboxIsolation.Request isolation = SandboxIsolation.Request.defaults();
  private OperatorLauncher operator = InProcessOperator.production();
  private LocalCluster cluster;

  private LocalClusterExtension(String name) {
    this.name = name;
  }

  /** A cluster whose dev home is {@code target/e2e/NAME-<millis>}. */
  static LocalClusterExtension named(String name) {
    return new LocalClusterExtension(name);
  }

  /**
   * A stand-in for a stock image: the directory of its root's entries, made when the cluster
   * starts (after the test class's {@code @TempDir} fields are set).
   */
  LocalClusterExtension withImage(String image, Callable<Path> directory) {
    imageDirectories.put(image, directory);
    return this;
  }

  /** Another runtime than {@link #RUNTIME}, e.g. a benchmark's comparison. */
  LocalClusterExtension withRuntime(RuntimeKind kind) {
    runtime = kind;
    return this;
  }

  /** Another runner jar than this build's (e.g. a benchmark's "before"). */
  LocalClusterExtension withRunnerJar(Path jar) {
    runnerJar = jar;
    return this;
  }

  /** How the bwrap runtime looks for isolation, e.g. a bwrap that does not exist. */
  LocalClusterExtension withIsolation(SandboxIsolation.Request request) {
    isolation = request;
    return this;
  }

  /** Another operator than the production one, e.g. one behind a faulty API proxy. */
  LocalClusterExtension withOperator(OperatorLauncher operator) {
    this.operator = operator;
    return this;
  }

  /** YAML applied once the cluster is up, before the first test (e.g. a model key Secret). */
  LocalClusterExtension applying(String yaml) {
    setup.add(yaml);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Starts the cluster (once); outside JUnit's lifecycle, e.g. in a benchmark, close it. */
  synchronized LocalClusterExtension start() throws Exception {
    if (cluster != null) {
      return this;
    }
    OperatorConfig config = OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_METRICS_PORT", "0"));
    if (runtime == RuntimeKind.PODMAN) {
      PodmanImages.require(config.runnerImage());
    }
    Map<String, Path> images = new LinkedHashMap<>();
    for (Map.Entry<String, Callable<Path>> image : imageDirectories.entrySet()) {
      if (runtime == RuntimeKind.PODMAN) {
        PodmanImages.buildStandIn(image.getKey(), image.getValue().call(), config.runnerImage());
      } else {
        images.put(image.getKey(), image.getValue().call());
      }
    }
    Path home = Path.of("target", "e2e", name + "-" + System.currentTimeMillis());
    Path jar = runnerJar != null ? runnerJar : runnerJar();
    cluster = LocalCluster.start(new LocalClusterSettings(home, jar, config,
        operator, LogSink.NONE, Duration.ofMillis(500),
        Clock.systemUTC(), images).withRuntime(runtime).withRunnerEnv(SHORT_MODEL_RETRY)
        .withIsolation(isolation));
    setup.forEach(this::apply);
    return this;
  }

  /**
   * The runner jar of this build. In {@code ./mvnw verify} the runner module is packaged before
   * this module's tests run (this module depends on it, so it comes later in the reactor).
   */
  public static Path runnerJar() {
    Path target = REPOSITORY.resolve("runner-image").resolve("target");
    return RunnerJarLocator.newestShadedJar(target).orElseGet(() -> fail(
        "the end-to-end tests need the runner jar " + target.toAbsolutePath().normalize()
            + "/agent-runner-*-all.jar: run `./mvnw -B verify` from the repository root (the"
            + " runner module is packaged before these tests), or build it first with"
            + " `./mvnw -B -q -pl runner-image -am -DskipTests package`"));
  }

  /** The running cluster, e.g. to stop and start the operator or find a runner process. */
  LocalCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the local cluster " + name + " is not started");
    }
    return cluster;
  }

  KubernetesClient client() {
    return cluster().client();
  }

  /** Applies multi-document YAML, as {@code kubectl apply -f -}. */
  List<HasMetadata> apply(String yaml) {
    try {
      Path file = Files.createTempFile(cluster().storage().home(), "apply-", ".yaml");
      Files.writeString(file, yaml);
      return apply(file, ModelOverrides.none());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<HasMetadata> apply(Path file, ModelOverrides overrides) {
    ManifestApplier applier = new ManifestApplier(client(), overrides);
    return applier.apply(applier.read(List.of(file)));
  }

  AgentRun run(String name) {
    return client().resources(AgentRun.class).inNamespace(NS).withName(name).get();
  }

  /** Waits until the run is in one of {@code phases}; fails early naming the phase it ended in. */
  AgentRun awaitPhase(String name, AgentRunPhase... phases) {
    Set<AgentRunPhase> wanted = Set.of(phases);
    AgentRun run;
    try {
      run = await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> run(name), r -> r != null && r.getStatus() != null
              && r.getStatus().getPhase() != null
              && (wanted.contains(r.getStatus().getPhase())
                  || r.getStatus().getPhase().isTerminal()));
    } catch (ConditionTimeoutException e) {
      AgentRun last = run(name);
      return fail("run %s did not reach %s within %s; it is %s: %s%nrunner log:%n%s", name,
          Arrays.toString(phases), RUN_TIMEOUT,
          last == null || last.getStatus() == null ? "without status" : last.getStatus().getPhase(),
          last == null || last.getStatus() == null ? "" : last.getStatus().getMessage(), logs());
    }
    if (!wanted.contains(run.getStatus().getPhase())) {
      fail("run %s ended %s, not %s: %s%nrunner log:%n%s", name, run.getStatus().getPhase(),
          Arrays.toString(phases), run.getStatus().getMessage(), logs());
    }
    return run;
  }

  /** Changes a run's spec (cancel, approvals) the way {@code kubectl patch} would. */
  AgentRun editSpec(String name, UnaryOperator<AgentRunSpec> change) {
    for (int attempt = 0; ; attempt++) {
      AgentRun run = run(name);
      run.setSpec(change.apply(run.getSpec()));
      try {
        return client().resources(AgentRun.class).inNamespace(NS).resource(run).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /** Appends an answer to the run's spec.approvals. */
  AgentRun answer(String name, String id, ApprovalDecision decision, String reason) {
    return editSpec(name, s -> {
      List<Approval> approvals = new ArrayList<>(
          s.approvals() == null ? List.of() : s.approvals());
      approvals.add(new Approval(id, decision, reason, "e2e-user"));
      return s.toBuilder().approvals(approvals).build();
    });
  }

  /** Appends an answer to the run's spec.answers (a question of the agent). */
  AgentRun answerQuestion(String name, String id, String text) {
    return editSpec(name, s -> {
      List<Answer> answers = new ArrayList<>(s.answers() == null ? List.of() : s.answers());
      answers.add(new Answer(id, text, "e2e-user"));
      return s.toBuilder().answers(answers).build();
    });
  }

  /** Sets spec.cancel. */
  AgentRun cancel(String name) {
    return editSpec(name, s -> s.toBuilder().cancel(true).build());
  }

  /** The session's runner token (what an attacker in its sandbox must never obtain). */
  String runnerToken(String session) {
    return new String(Base64.getDecoder().decode(client().secrets()
        .inNamespace(NS).withName(session + "-runner-token").get().getData().get("token")),
        StandardCharsets.UTF_8);
  }

  /**
   * A run's events as the runner serves them ({@code GET /v1/runs/{uid}/events}), read with the
   * session's token like the operator does.
   */
  List<JsonNode> runnerEvents(String session, AgentRun run)
      throws IOException, InterruptedException {
    Pod pod = pod(session + "-sandbox").orElseThrow();
    String token = runnerToken(session);
    HttpRequest request = HttpRequest.newBuilder(URI.create(
            "http://" + pod.getStatus().getPodIP() + ":8080/v1/runs/"
                + run.getMetadata().getUid() + "/events?after=0&limit=1000"))
        .header("Authorization", "Bearer " + token).GET().build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("events: HTTP " + response.statusCode() + " " + response.body());
      }
      JsonNode events = new ObjectMapper().readTree(response.body()).path("events");
      List<JsonNode> list = new ArrayList<>();
      events.forEach(list::add);
      return list;
    }
  }

  Optional<Pod> pod(String name) {
    return Optional.ofNullable(client().pods().inNamespace(NS).withName(name).get());
  }

  /** The workspace directory of a session (its claim's {@code workspace}). */
  Path workspace(String session) {
    return claim(session).resolve("workspace");
  }

  /** The state directory of a session (its claim's {@code state}). */
  Path state(String session) {
    return claim(session).resolve("state");
  }

  private Path claim(String session) {
    return cluster().storage().claimDir(NS, session + "-workspace");
  }

  /** Every container log of the cluster, for failure messages. */
  String logs() {
    Path pods = cluster().storage().home().resolve("pods");
    if (!Files.isDirectory(pods)) {
      return "(no pods)";
    }
    try (Stream<Path> files = Files.walk(pods)) {
      return files.filter(f -> f.toString().endsWith(".log")).map(f -> {
        try {
          String text = Files.readString(f);
          return "== " + pods.relativize(f) + "\n"
              + (text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text);
        } catch (IOException e) {
          return "== " + f + ": " + e;
        }
      }).collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public synchronized void close() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
