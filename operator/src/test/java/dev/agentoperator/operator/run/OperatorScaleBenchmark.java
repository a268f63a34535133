package dev.agentoperator.operator.run;

import static org.awaitility.Awaitility.await;

import com.sun.management.OperatingSystemMXBean;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.testing.ApiCall;
import dev.agentoperator.operator.testing.FakeRunner;
import dev.agentoperator.operator.testing.OperatorHarness;
import dev.agentoperator.operator.testing.Resources;
import dev.agentoperator.operator.testing.RunScript;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.Counter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole operator on the Fabric8 mock API server with fake runners that answer at once (3
 * steps, no pause): N sessions, M runs spread over them round robin, created in a burst or at a
 * fixed rate. Prints dispatch latency (run created → the runner's {@code PUT}), runs/s, the
 * operator's API requests and writes per run, reconciles per run, the JVM's CPU seconds and the
 * operator's share of the heap after GC. Figures go into BENCHMARKS.md; nothing is asserted.
 *
 * <p>Sizes come from {@code -Dscale.sessions=100,1000 -Dscale.runs=1000,10000} (defaults 100 and
 * 1000); the fixed rate from {@code -Dscale.rate=100} (runs/s).
 */
@Tag("bench")
@EnableKubernetesMockClient(crud = true)
class OperatorScaleBenchmark {

  /** A prompt and a final answer of typical size (each run's status and spec carry them). */
  private static final String PROMPT = "Fix the failing tests in module X. ".repeat(30);

  private static final String RESULT = "All tests pass now; the change was in Y. ".repeat(50);

  KubernetesMockServer server;
  KubernetesClient client;
  private OperatorHarness harness;

  @BeforeEach
  void startOperator() throws Exception {
    harness =
        new OperatorHarness(
                server,
                client,
                prompt -> RunScript.steps(3).withStepDelay(Duration.ZERO).withResult(RESULT))
            .start();
    harness.createModelKeySecret();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  @Test
  void burst() throws Exception {
    measure("burst", ints("scale.sessions", 100), ints("scale.runs", 1000), 0);
  }

  @Test
  void fixedRate() throws Exception {
    measure(
        "rate",
        ints("scale.sessions", 100),
        ints("scale.runs", 1000),
        Integer.getInteger("scale.rate", 100));
  }

  private void measure(String mode, int sessions, int runs, int ratePerSecond) throws Exception {
    // given N sessions whose pods are ready
    for (int i = 0; i < sessions; i++) {
      harness.create(Resources.session("s" + i));
    }
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> readySessions() == sessions);
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // let the set-up settle
    harness.operatorRequests(); // forget the set-up
    double reconcilesBefore = reconciles();
    long cpuBefore = cpuNanos();
    Map<String, Long> threadsBefore = cpuByThreadGroup();

    // when M runs arrive, in a burst or one every 1/rate seconds
    Map<String, Long> createdAt = new ConcurrentHashMap<>();
    Map<String, String> uids = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(ratePerSecond > 0 ? 1 : 4)) {
      for (int i = 0; i < runs; i++) {
        String name = "r" + i;
        String session = "s" + (i % sessions);
        long due = start + (ratePerSecond > 0 ? i * 1_000_000_000L / ratePerSecond : 0);
        pool.submit(
            () -> {
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
              AgentRun created = harness.create(Resources.run(name, session, PROMPT));
              createdAt.put(name, System.nanoTime());
              uids.put(name, created.getMetadata().getUid() + "@" + session);
            });
      }
    }
    await()
        .atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> succeeded(runs) == runs);
    long end = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // let trailing writes land
    long cpu = cpuNanos() - cpuBefore;
    Map<String, Long> threadCpu = cpuByThreadGroup();
    threadCpu.replaceAll((group, nanos) -> nanos - threadsBefore.getOrDefault(group, 0L));
    double reconcilesPerRun = (reconciles() - reconcilesBefore) / runs;

    // then
    List<ApiCall> calls = harness.operatorRequests();
    Map<String, Integer> writes = new TreeMap<>();
    Map<String, Integer> reads = new TreeMap<>();
    for (ApiCall call : calls) {
      (call.mutating() ? writes : reads)
          .merge(call.verb() + " " + call.resource(), 1, Integer::sum);
    }
    double[] latencies = new double[runs];
    for (int i = 0; i < runs; i++) {
      String[] uidAndSession = uids.get("r" + i).split("@");
      FakeRunner runner = harness.kubelet().runnerOf(uidAndSession[1]);
      Long put = runner.firstStartNanos(uidAndSession[0]);
      latencies[i] = put == null ? Double.NaN : (put - createdAt.get("r" + i)) / 1e6;
    }
    Arrays.sort(latencies);
    long heapWith = heapAfterGc();
    harness.stopOperator();
    long heapWithout = heapAfterGc();

    System.out.printf(
        "SCALE mode=%s sessions=%d runs=%d rate=%s%n"
            + "  dispatch latency ms: p50 %.1f p90 %.1f p99 %.1f max %.1f%n"
            + "  throughput: %.0f runs/s (first create to last Succeeded seen, %.1f s)%n"
            + "  API requests per run: %.2f (writes %.2f)%n"
            + "  writes per run: %s%n"
            + "  reads/watches per run: %s%n"
            + "  reconciles per run: %.2f%n"
            + "  JVM CPU (operator + mock API + fake runners + test): %.1f s, %.2f ms per run%n"
            + "  heap after GC: %d MiB with the operator, %d MiB after it stopped, operator %d MiB%n"
            + "  CPU s by thread group (live threads): %s%n",
        mode,
        sessions,
        runs,
        ratePerSecond > 0 ? ratePerSecond + "/s" : "burst",
        percentile(latencies, 0.50),
        percentile(latencies, 0.90),
        percentile(latencies, 0.99),
        latencies[runs - 1],
        runs / ((end - start) / 1e9),
        (end - start) / 1e9,
        (double) calls.size() / runs,
        (double) calls.stream().filter(ApiCall::mutating).count() / runs,
        perRun(writes, runs),
        perRun(reads, runs),
        reconcilesPerRun,
        cpu / 1e9,
        cpu / 1e6 / runs,
        heapWith >> 20,
        heapWithout >> 20,
        (heapWith - heapWithout) >> 20,
        topGroups(threadCpu));
  }

  private long readySessions() {
    return client.resources(AgentSession.class).inNamespace(OperatorHarness.NAMESPACE).list()
        .getItems().stream()
        .filter(s -> s.getStatus() != null && s.getStatus().getPhase() == AgentSessionPhase.Ready)
        .count();
  }

  private int succeeded(int runs) {
    int done = 0;
    for (int i = 0; i < runs; i++) {
      if (harness.phaseHistory("r" + i).contains("Succeeded")) {
        done++;
      }
    }
    return done;
  }

  private double reconciles() {
    return harness.operator().meterRegistry().getMeters().stream()
        .filter(m -> m.getId().getName().endsWith("reconciliations.started"))
        .filter(Counter.class::isInstance)
        .mapToDouble(m -> ((Counter) m).count())
        .sum();
  }

  private static String perRun(Map<String, Integer> counts, int runs) {
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(String.format("%s %.2f", k, (double) v / runs)));
    return String.join(", ", parts);
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the live threads, by name with digits removed (a pool's threads together). */
  private static Map<String, Long> cpuByThreadGroup() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = threads.getThreadCpuTime(info.getThreadId());
      if (nanos > 0) {
        groups.merge(info.getThreadName().replaceAll("[0-9]+", "#"), nanos, Long::sum);
      }
    }
    return groups;
  }

  private static String topGroups(Map<String, Long> cpu) {
    return cpu.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / 1e9))
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      LockSupport.parkNanos(200_000_000L);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int ints(String property, int fallback) {
    return Integer.getInteger(property, fallback);
  }
}
