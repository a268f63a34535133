package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.LocalClusterExtension.example;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long the quickstart takes on the local cluster: from applying the run to Succeeded, and the
 * part of it spent bringing the sandbox pod up (init container, runner JVM, readiness). Figures go
 * into BENCHMARKS.md; nothing here asserts a speed.
 */
@Tag("bench")
class LocalClusterBenchmark {

  private static final int ROUNDS = 3;

  @Test
  void quickstartApplyToSucceeded() throws Exception {
    List<Long> total = new ArrayList<>();
    List<Long> podReady = new ArrayList<>();
    Instant clusterStart = Instant.now();
    try (LocalClusterExtension cluster = LocalClusterExtension.named("bench").start()) {
      long startup = Duration.between(clusterStart, Instant.now()).toMillis();
      ManifestApplier applier = new ManifestApplier(cluster.client(), ModelOverrides.none());
      for (int round = 1; round <= ROUNDS; round++) {
        List<HasMetadata> objects = applier.read(List.of(example("quickstart.yaml")));
        String name = "quickstart-" + round;
        objects.stream().filter(AgentRun.class::isInstance)
            .forEach(o -> o.getMetadata().setName(name));
        Instant applied = Instant.now();
        applier.apply(objects);
        AgentRun run = cluster.awaitPhase(name, AgentRunPhase.Succeeded);
        total.add(Duration.between(applied, Instant.now()).toMillis());
        Pod pod = cluster.pod(run.getStatus().getSession() + "-sandbox").orElseThrow();
        PodCondition ready = pod.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        podReady.add(Duration.between(Instant.parse(pod.getMetadata().getCreationTimestamp()),
            Instant.parse(ready.getLastTransitionTime())).toMillis());
      }
      System.out.printf("BENCH local cluster start (API, CRDs, operator, kubelet): %d ms%n",
          startup);
      System.out.printf("BENCH quickstart apply→Succeeded ms: %s (median %d)%n", total,
          median(total));
      System.out.printf("BENCH sandbox pod created→Ready ms (1 s resolution): %s (median %d)%n",
          podReady, median(podReady));
    }
    assertThat(total).hasSize(ROUNDS);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
