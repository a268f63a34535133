package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.LocalClusterExtension.example;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.dev.cli.ManifestApplier;
import dev.agentoperator.operator.dev.cli.ModelOverrides;
import dev.agentoperator.operator.dev.kubelet.RunnerClassArchive;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long the quickstart takes on the local cluster: from applying the run to Succeeded, and the
 * part of it spent bringing the sandbox pod up (init containers, runner JVM, readiness). With
 * {@code -Dbench.jars=label=path,...} it compares runner jars (a jar outside a
 * {@code runner-image/target} has no training script beside it, so its JVMs run without a class
 * archive), one cluster per jar in turn, {@code -Dbench.cycles} times, so the machine's load falls
 * on all alike. Figures go into BENCHMARKS.md; nothing here asserts a speed.
 */
@Tag("bench")
class LocalClusterBenchmark {

  private static final int ROUNDS = 3;

  @Test
  void quickstartApplyToSucceeded() throws Exception {
    Map<String, Path> jars = jars();
    int cycles = Integer.getInteger("bench.cycles", 1);
    Map<String, Figures> figures = new LinkedHashMap<>();
    for (int cycle = 0; cycle < cycles; cycle++) {
      for (Map.Entry<String, Path> jar : jars.entrySet()) {
        // The archive is built before measuring, not by the first pods' start.
        Optional<Path> archive = RunnerClassArchive.startFor(jar.getValue()).await();
        System.out.printf("BENCH %s: runner jar %s, class archive %s%n", jar.getKey(),
            jar.getValue(), archive.map(Path::toString).orElse("none"));
        measure(jar.getValue(), figures.computeIfAbsent(jar.getKey(), k -> new Figures()));
      }
    }
    figures.forEach((label, f) -> {
      System.out.printf("BENCH %s | local cluster start (API, CRDs, operator, kubelet) ms: %s%n",
          label, f.startup);
      System.out.printf("BENCH %s | quickstart apply→Succeeded ms: %s (median %d)%n", label,
          f.total, median(f.total));
      System.out.printf(
          "BENCH %s | sandbox pod created→Ready ms (1 s resolution): %s (median %d)%n",
          label, f.podReady, median(f.podReady));
      System.out.printf(
          "BENCH %s | sandbox pod first seen→Ready ms (polled every %d ms): %s (median %d)%n",
          label, PodWatch.POLL.toMillis(), f.podReadyPolled, median(f.podReadyPolled));
    });
    assertThat(figures.values()).allSatisfy(f -> assertThat(f.total).hasSize(ROUNDS * cycles));
  }

  private static void measure(Path runnerJar, Figures figures) throws Exception {
    Instant clusterStart = Instant.now();
    try (LocalClusterExtension cluster = LocalClusterExtension.named("bench").withRunnerJar(runnerJar).start()) {
      figures.startup.add(Duration.between(clusterStart, Instant.now()).toMillis());
      ManifestApplier applier = new ManifestApplier(cluster.client(), ModelOverrides.none());
      for (int round = 1; round <= ROUNDS; round++) {
        List<HasMetadata> objects = applier.read(List.of(example("quickstart.yaml")));
        String name = "quickstart-" + round;
        objects.stream().filter(AgentRun.class::isInstance)
            .forEach(o -> o.getMetadata().setName(name));
        Instant applied = Instant.now();
        PodWatch watch = new PodWatch(cluster);
        watch.start();
        applier.apply(objects);
        AgentRun run = cluster.awaitPhase(name, AgentRunPhase.Succeeded);
        figures.total.add(Duration.between(applied, Instant.now()).toMillis());
        watch.interrupt();
        watch.join();
        String podName = run.getStatus().getSession() + "-sandbox";
        figures.podReadyPolled.add(watch.createdToReadyMillis(podName));
        Pod pod = cluster.pod(podName).orElseThrow();
        PodCondition ready = pod.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        figures.podReady.add(Duration.between(
            Instant.parse(pod.getMetadata().getCreationTimestamp()),
            Instant.parse(ready.getLastTransitionTime())).toMillis());
      }
    }
  }

  /** {@code label=path,...} from {@code -Dbench.jars}, else this build's runner jar. */
  private static Map<String, Path> jars() {
    String named = System.getProperty("bench.jars", "");
    Map<String, Path> jars = new LinkedHashMap<>();
    if (named.isBlank()) {
      jars.put("this build", LocalClusterExtension.runnerJar().toAbsolutePath());
      return jars;
    }
    for (String entry : named.split(",")) {
      String[] labelAndPath = entry.split("=", 2);
      jars.put(labelAndPath[0], Path.of(labelAndPath[1]).toAbsolutePath());
    }
    return jars;
  }

  /** One jar's figures, over all its rounds. */
  private static final class Figures {
    final List<Long> startup = new ArrayList<>();
    final List<Long> total = new ArrayList<>();
    final List<Long> podReady = new ArrayList<>();
    final List<Long> podReadyPolled = new ArrayList<>();
  }

  /**
   * Polls the API for pods: when each was first seen and first Ready, on this JVM's clock (the
   * pod's own timestamps have 1 s resolution; the kubelet still ticks every 200 ms).
   */
  private static final class PodWatch extends Thread {
    static final Duration POLL = Duration.ofMillis(20);
    private final LocalClusterExtension cluster;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Map<String, Instant> ready = new ConcurrentHashMap<>();

    PodWatch(LocalClusterExtension cluster) {
      this.cluster = cluster;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted()) {
        Instant now = Instant.now();
        for (Pod pod : cluster.client().pods().list().getItems()) {
          String name = pod.getMetadata().getName();
          seen.putIfAbsent(name, now);
          if (pod.getStatus() != null && pod.getStatus().getConditions() != null
              && pod.getStatus().getConditions().stream().anyMatch(
                  c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
            ready.putIfAbsent(name, now);
          }
        }
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long createdToReadyMillis(String pod) {
      return Duration.between(seen.get(pod), ready.get(pod)).toMillis();
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
