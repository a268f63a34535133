package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.dev.LocalCluster;
import dev.agentoperator.operator.dev.LocalClusterSettings;
import dev.agentoperator.operator.dev.OperatorLauncher;
import dev.agentoperator.operator.dev.kubelet.BubblewrapInstaller;
import dev.agentoperator.operator.dev.kubelet.LogSink;
import dev.agentoperator.operator.dev.kubelet.RunnerJarLocator;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import dev.agentoperator.operator.dev.kubelet.SandboxIsolation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code agent-operator dev FILES...}: starts a {@link LocalCluster} (on its embedded API, or on
 * the existing one of {@code --kubeconfig}), applies the files, follows their AgentRuns like
 * {@code kubectl get agentruns -w} with the runners' output like {@code kubectl logs -f}, and
 * reports each run's result, snapshot and usage. Exit code 0 when every run succeeded.
 */
public final class DevCommand {

  /** The Secret (and key) the examples' real-model sessions reference. */
  public static final String OPENAI_SECRET = "openai-api-key";

  public static final String OPENAI_SECRET_KEY = "api-key";

  /** The bubblewrap binary the bwrap runtime tries (a name on the PATH or a path; default bwrap). */
  public static final String BWRAP_ENV = "AGENT_DEV_BWRAP";

  private final Map<String, String> env;
  private final PrintStream out;
  private final Path workingDir;
  private final OperatorLauncher operator;
  private final Clock clock;
  private volatile LocalCluster cluster;

  public DevCommand(Map<String, String> env, PrintStream out, Path workingDir,
      OperatorLauncher operator, Clock clock) {
    this.env = env;
    this.out = out;
    this.workingDir = workingDir;
    this.operator = operator;
    this.clock = clock;
  }

  /** Runs the command; returns the process exit code. */
  public int run(DevOptions options) throws InterruptedException {
    Path runnerJar = RunnerJarLocator.locate(options.runnerJar(), env, workingDir);
    Map<String, String> operatorEnv = new HashMap<>(env);
    // One machine may run several local clusters; the metrics port must not collide.
    operatorEnv.putIfAbsent("AGENT_OPERATOR_METRICS_PORT", "0");
    OperatorConfig config = OperatorConfig.fromEnv(operatorEnv);
    LogSink logs = (pod, container, line) -> out.println("[pod/" + pod + "/" + container + "] "
        + line);
    String bwrap = env.getOrDefault(BWRAP_ENV, "bwrap");
    if (options.runtime() == RuntimeKind.BWRAP) {
      BubblewrapInstaller.installIfMissing(bwrap, out);
    }
    try (LocalCluster started = LocalCluster.start(new LocalClusterSettings(options.home(),
        runnerJar, config, operator, logs, Duration.ofSeconds(1), clock, Map.of(),
        options.kubeconfig(), options.runtime(), Map.of(),
        new SandboxIsolation.Request(bwrap, options.noIsolation())))) {
      cluster = started;
      out.printf("local cluster: API %s, kubeconfig %s (%s)%n", started.client().getMasterUrl(),
          started.kubeconfig(), started.embeddedApi()
              ? "the Java client works against it; kubectl does not, for lack of discovery"
              : "an existing API server: kubectl works against it");
      out.printf("runner jar %s, dev home %s, pods run on %s%n", runnerJar,
          started.storage().home(), started.pods().runtimeName());
      started.pods().isolationNotice().ifPresent(out::println);
      ManifestApplier applier = new ManifestApplier(started.client(), ModelOverrides.fromEnv(env));
      List<HasMetadata> objects = applier.read(options.files());
      createModelSecret(started.client(), namespaces(objects));
      for (HasMetadata object : applier.apply(objects)) {
        out.printf("%s/%s applied%n", object.getKind().toLowerCase(),
            object.getMetadata().getName());
      }
      Map<String, List<String>> runs = runsOf(objects);
      if (runs.isEmpty()) {
        out.println("no AgentRun in the files; the local cluster runs until Ctrl-C");
        Thread.currentThread().join();
      }
      List<AgentRun> finished = new RunFollower(started.client(), out, clock)
          .follow(runs, options.timeout());
      out.println();
      finished.forEach(run -> RunReport.print(out, run));
      boolean allSucceeded = finished.size() == runs.values().stream().mapToInt(List::size).sum()
          && finished.stream().allMatch(r -> r.getStatus() != null
              && r.getStatus().getPhase() == AgentRunPhase.Succeeded);
      return allSucceeded ? 0 : 1;
    } finally {
      cluster = null;
    }
  }

  /** Stops the local cluster from a shutdown hook (Ctrl-C). */
  public void stop() {
    LocalCluster running = cluster;
    if (running != null) {
      running.close();
    }
  }

  private void createModelSecret(KubernetesClient client, Set<String> namespaces) {
    String key = env.get("OPENAI_API_KEY");
    if (key == null || key.isBlank()) {
      return;
    }
    for (String namespace : namespaces) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder()
              .withNewMetadata().withName(OPENAI_SECRET).withNamespace(namespace).endMetadata()
              .addToStringData(OPENAI_SECRET_KEY, key)
              .build())
          .createOr(NonDeletingOperation::update);
    }
    out.printf("secret/%s created from OPENAI_API_KEY in %s%s%n", OPENAI_SECRET, namespaces,
        env.containsKey("OPENAI_BASE_URL") || env.containsKey("OPENAI_MODEL")
            ? " (openai sessions use OPENAI_BASE_URL/OPENAI_MODEL)" : "");
  }

  private static Set<String> namespaces(List<HasMetadata> objects) {
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add("default");
    objects.stream().map(o -> o.getMetadata().getNamespace()).filter(n -> n != null)
        .forEach(namespaces::add);
    return namespaces;
  }

  private static Map<String, List<String>> runsOf(List<HasMetadata> objects) {
    Map<String, List<String>> runs = new LinkedHashMap<>();
    for (HasMetadata object : objects) {
      if (object instanceof AgentRun run) {
        runs.computeIfAbsent(run.getMetadata().getNamespace(), n -> new ArrayList<>())
            .add(run.getMetadata().getName());
      }
    }
    return runs;
  }
}
