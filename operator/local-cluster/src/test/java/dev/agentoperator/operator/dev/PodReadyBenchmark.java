package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.LocalClusterExtension.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.dev.cli.ManifestApplier;
import dev.agentoperator.operator.dev.cli.ModelOverrides;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sandbox pod created → Ready on each local runtime ({@code -Dbench.runtimes=bwrap,podman},
 * {@code -Dbench.rounds=10}): the quickstart's pod, first seen on the API → Ready, polled every
 * 20 ms on this JVM's clock. Each round's run must succeed; its session and pod are then deleted
 * so that the next round starts on an idle machine. Figures go into BENCHMARKS.md; nothing here
 * asserts a speed.
 */
@Tag("bench")
class PodReadyBenchmark {

  private static final Duration POLL = Duration.ofMillis(20);

  @Test
  void sandboxPodCreatedToReadyPerRuntime() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 10);
    Map<RuntimeKind, List<Long>> figures = new LinkedHashMap<>();
    for (String name : System.getProperty("bench.runtimes", "bwrap,podman").split(",")) {
      RuntimeKind kind = RuntimeKind.parse(name.strip());
      List<Long> readyMillis = figures.computeIfAbsent(kind, k -> new ArrayList<>());
      try (LocalClusterExtension cluster =
          LocalClusterExtension.named("bench-" + kind.flag()).withRuntime(kind).start()) {
        ManifestApplier applier = new ManifestApplier(cluster.client(), ModelOverrides.none());
        for (int round = 1; round <= rounds; round++) {
          readyMillis.add(round(cluster, applier, "ready-" + round));
          System.out.printf("BENCH %s round %d: created→Ready %d ms%n", kind.flag(), round,
              readyMillis.getLast());
        }
      }
    }
    figures.forEach((kind, values) -> System.out.printf(
        "BENCH %s | sandbox pod created→Ready ms: %s (median %d)%n", kind.flag(), values,
        median(values)));
    assertThat(figures.values()).allSatisfy(values -> assertThat(values).hasSize(rounds));
  }

  private static long round(LocalClusterExtension cluster, ManifestApplier applier, String name)
      throws Exception {
    List<HasMetadata> objects = applier.read(List.of(example("quickstart.yaml")));
    objects.stream().filter(AgentRun.class::isInstance)
        .forEach(o -> o.getMetadata().setName(name));
    applier.apply(objects);
    String podName = name + "-session-sandbox";
    Instant[] seen = new Instant[1];
    Instant[] ready = new Instant[1];
    await().atMost(LocalClusterExtension.RUN_TIMEOUT).pollInterval(POLL).until(() -> {
      Pod pod = cluster.client().pods().withName(podName).get();
      Instant now = Instant.now();
      if (pod != null && seen[0] == null) {
        seen[0] = now;
      }
      if (pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
          && pod.getStatus().getConditions().stream().anyMatch(
              c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
        ready[0] = now;
      }
      return ready[0] != null;
    });
    AgentRun run = cluster.awaitPhase(name, AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getSession()).isEqualTo(name + "-session");
    // The embedded API has no garbage collector: the ephemeral session and its pod go by hand.
    cluster.client().resources(AgentSession.class).withName(run.getStatus().getSession())
        .delete();
    cluster.client().resources(AgentRun.class).withName(name).delete();
    cluster.client().pods().withName(podName).delete();
    await().atMost(Duration.ofMinutes(1))
        .until(() -> cluster.cluster().pods().size() == 0);
    return Duration.between(seen[0], ready[0]).toMillis();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
