package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.Answer;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.config.OperatorConfig;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@link LocalCluster} for end-to-end tests: the embedded API, the production operator, and the
 * runner jar built by this reactor running as real processes. One per test class.
 */
final class E2eCluster implements AutoCloseable {

  static final String NS = "default";
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

  private final LocalCluster cluster;

  private E2eCluster(LocalCluster cluster) {
    this.cluster = cluster;
  }

  static E2eCluster start(String name) {
    return start(name, Map.of());
  }

  /** With stand-ins for stock images: image name to the directory of its root's entries. */
  static E2eCluster start(String name, Map<String, Path> imageDirectories) {
    return start(name, imageDirectories, InProcessOperator.production());
  }

  /** With the operator started by {@code operator}, e.g. behind a faulty API proxy. */
  static E2eCluster start(String name, OperatorLauncher operator) {
    return start(name, Map.of(), operator);
  }

  private static E2eCluster start(
      String name, Map<String, Path> imageDirectories, OperatorLauncher operator) {
    Path home = Path.of("target", "e2e", name + "-" + System.currentTimeMillis());
    OperatorConfig config = OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_METRICS_PORT", "0"));
    return new E2eCluster(LocalCluster.start(new LocalClusterSettings(home, runnerJar(), config,
        operator, LogSink.NONE, Duration.ofMillis(500), Clock.systemUTC(), imageDirectories)));
  }

  /**
   * The runner jar of this build. In {@code ./mvnw verify} the runner module is packaged before
   * the operator's tests run (it comes first in the reactor).
   */
  static Path runnerJar() {
    Path target = Path.of("..", "runner-image", "target");
    return RunnerJarLocator.newestShadedJar(target).orElseGet(() -> fail(
        "the end-to-end tests need the runner jar " + target.toAbsolutePath().normalize()
            + "/agent-runner-*-all.jar: run `./mvnw -B verify` from the repository root (the"
            + " runner module is packaged before these tests), or build it first with"
            + " `./mvnw -B -q -pl runner-image -DskipTests package`"));
  }

  LocalCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return cluster.client();
  }

  /** Applies multi-document YAML, as {@code kubectl apply -f -}. */
  List<HasMetadata> apply(String yaml) {
    try {
      Path file = Files.createTempFile(cluster.storage().home(), "apply-", ".yaml");
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
      return new AgentRunSpec(s.sessionRef(), s.sessionTemplate(), s.prompt(), s.model(),
          s.limits(), s.tools(), s.restoreSnapshot(), s.cancel(), approvals,
          s.ttlSecondsAfterFinished(), s.answers());
    });
  }

  /** Appends an answer to the run's spec.answers (a question of the agent). */
  AgentRun answerQuestion(String name, String id, String text) {
    return editSpec(name, s -> {
      List<Answer> answers = new ArrayList<>(s.answers() == null ? List.of() : s.answers());
      answers.add(new Answer(id, text));
      return new AgentRunSpec(s.sessionRef(), s.sessionTemplate(), s.prompt(), s.model(),
          s.limits(), s.tools(), s.restoreSnapshot(), s.cancel(), s.approvals(),
          s.ttlSecondsAfterFinished(), answers);
    });
  }

  /** Sets spec.cancel. */
  AgentRun cancel(String name) {
    return editSpec(name, s -> new AgentRunSpec(s.sessionRef(), s.sessionTemplate(), s.prompt(),
        s.model(), s.limits(), s.tools(), s.restoreSnapshot(), true, s.approvals(),
        s.ttlSecondsAfterFinished(), s.answers()));
  }

  /**
   * A run's events as the runner serves them ({@code GET /v1/runs/{uid}/events}), read with the
   * session's token like the operator does.
   */
  List<JsonNode> runnerEvents(String session, AgentRun run)
      throws IOException, InterruptedException {
    Pod pod = pod(session + "-sandbox").orElseThrow();
    String token = new String(Base64.getDecoder().decode(client().secrets()
        .inNamespace(NS).withName(session + "-runner-token").get().getData().get("token")),
        StandardCharsets.UTF_8);
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
    return cluster.storage().claimDir(NS, session + "-workspace");
  }

  /** Every container log of the cluster, for failure messages. */
  String logs() {
    Path pods = cluster.storage().home().resolve("pods");
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
  public void close() {
    cluster.close();
  }
}
