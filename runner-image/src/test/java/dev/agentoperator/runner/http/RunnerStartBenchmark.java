package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.serve.RunnerService;
import dev.agentoperator.runner.serve.RunnerSettings;
import dev.agentoperator.runner.workspace.Snapshotter;
import dev.agentoperator.testing.model.Turn;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-to-ready time of the runner: from launching {@code java -jar agent-runner-all.jar serve} (a
 * new JVM on the shaded jar, as in the image) until {@code GET /readyz} answers 200, with its CPU
 * time by then (all threads; the steadier figure on a shared machine): plain, with the image's
 * AppCDS archive ({@code src/main/docker/train-class-archive.sh}, the launcher's options), and with
 * the local cluster's JVM options plus that archive; rounds interleaved, so the machine's load
 * falls on all alike. {@code -Dbench.jars=label=path,...} compares several jars (e.g. a build of
 * the previous commit), each with its own archive. Also: a workspace of 10,000 files with a
 * snapshot, and the in-process start of an already warm JVM. Figures go to BENCHMARKS.md.
 */
@Tag("bench")
class RunnerStartBenchmark {

  private static final int FILES = 10_000;
  private static final List<String> LOCAL_CLUSTER_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  @TempDir Path root;

  @Test
  void measureStartToReady() throws Exception {
    Map<String, Path> jars = jars();
    int rounds = Integer.getInteger("bench.rounds", 7);
    try (TurnScriptedModel model =
        new TurnScriptedModel(Turn.say("done"))) {
      Map<String, String> env =
          Map.of(
              "AGENT_RUNNER_TOKEN",
              ApiClient.TOKEN,
              "AGENT_MODEL_PROVIDER",
              "openai",
              "AGENT_MODEL_BASE_URL",
              model.baseUrl(),
              "AGENT_MODEL_NAME",
              "scripted-model");

      List<Mode> modes = new ArrayList<>();
      for (Map.Entry<String, Path> jar : jars.entrySet()) {
        List<String> archive =
            List.of(
                "-XX:SharedArchiveFile=" + trainArchive(jar.getValue(), jar.getKey()),
                "-Xshare:auto",
                "-Xlog:cds=off");
        List<String> local = new ArrayList<>(LOCAL_CLUSTER_OPTIONS);
        local.addAll(archive);
        String label = jar.getKey();
        modes.add(new Mode(label + ", java -jar", jar.getValue(), List.of()));
        modes.add(new Mode(label + ", image launcher (AppCDS archive)", jar.getValue(), archive));
        modes.add(
            new Mode(
                label + ", local cluster options, no archive",
                jar.getValue(),
                LOCAL_CLUSTER_OPTIONS));
        modes.add(
            new Mode(label + ", local cluster options + AppCDS archive", jar.getValue(), local));
      }
      Map<String, List<long[]>> starts = new LinkedHashMap<>();
      int volume = 0;
      for (int round = 0; round < rounds; round++) {
        for (Mode mode : modes) {
          Path fresh = root.resolve("v" + volume++);
          starts
              .computeIfAbsent(mode.name(), k -> new ArrayList<>())
              .add(processStartToReady(mode.jar(), fresh, env, mode.options()));
        }
      }

      Path big = root.resolve("big");
      Path workspace = big.resolve("workspace");
      for (int i = 0; i < FILES; i++) {
        Path file = workspace.resolve("src/d" + (i % 100) + "/f" + i + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "file " + i + "\n".repeat(10));
      }
      try (Snapshotter snapshotter =
          Snapshotter.open(workspace, big.resolve("state/snapshots.git"), 10L * 1024 * 1024)) {
        assertThat(snapshotter.snapshot("baseline")).isPresent();
      }
      Map.Entry<String, Path> first = jars.entrySet().iterator().next();
      List<long[]> large = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        large.add(processStartToReady(first.getValue(), big, env, List.of()));
      }

      List<Long> warm = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        warm.add(inProcessStartToReady(root.resolve("warm-" + i), model));
      }

      starts.forEach(
          (mode, figures) -> report(mode + ", empty volume (" + rounds + " starts)", figures));
      report(
          first.getKey() + ", java -jar, 10,000-file workspace with a snapshot (3 starts)", large);
      System.out.printf(
          Locale.ROOT,
          "BENCH start-to-ready | RunnerService.start in a warm JVM (10 starts) | median %d ms"
              + " | all %s%n",
          median(warm),
          warm);
    }
  }

  /** One way of starting: a jar and the JVM options before {@code -jar}. */
  private record Mode(String name, Path jar, List<String> options) {}

  /** {@code label=path,...} from {@code -Dbench.jars}, else this module's shaded jar. */
  private static Map<String, Path> jars() throws IOException {
    String named = System.getProperty("bench.jars", "");
    Map<String, Path> jars = new LinkedHashMap<>();
    if (named.isBlank()) {
      jars.put("this build", shadedJar());
      return jars;
    }
    for (String entry : named.split(",")) {
      String[] labelAndPath = entry.split("=", 2);
      jars.put(labelAndPath[0], Path.of(labelAndPath[1]).toAbsolutePath());
    }
    return jars;
  }

  /** The image's archive of {@code jar}, by the image's own training script. */
  private Path trainArchive(Path jar, String label) throws Exception {
    String name = "archive-" + Math.abs(label.hashCode());
    Path archive = root.resolve(name + ".jsa");
    ProcessBuilder training =
        new ProcessBuilder(
                "sh", "src/main/docker/train-class-archive.sh", jar.toString(), archive.toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve(name + ".log").toFile());
    training
        .environment()
        .put(
            "PATH",
            Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    training.environment().put("AGENT_TRAINING_PORT", String.valueOf(freePort()));
    assertThat(training.start().waitFor()).as("training of " + jar).isZero();
    return archive;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path shadedJar() throws IOException {
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      Optional<Path> jar =
          jars.filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst();
      Assumptions.assumeTrue(
          jar.isPresent(),
          "build the shaded jar first: ./mvnw -B -q -pl runner-image package -DskipTests");
      return jar.get().toAbsolutePath();
    }
  }

  /** Wall milliseconds from launch to /readyz 200, and the process's CPU milliseconds by then. */
  private static long[] processStartToReady(
      Path jar, Path volume, Map<String, String> env, List<String> jvmOptions) throws Exception {
    long started = System.nanoTime();
    try (RunnerProcess runner =
        RunnerProcess.startJar(jar, volume, env, Duration.ofSeconds(120), jvmOptions)) {
      ApiClient api = new ApiClient(runner.port());
      while (api.send(api.unauthenticated("/readyz").GET()).status() != 200) {
        Thread.onSpinWait();
      }
      long wall = (System.nanoTime() - started) / 1_000_000;
      return new long[] {wall, runner.cpu().toMillis()};
    }
  }

  private static long inProcessStartToReady(Path volume, TurnScriptedModel model)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_RUNNER_ADDRESS", "127.0.0.1:0");
    env.put("AGENT_RUNNER_TOKEN", ApiClient.TOKEN);
    env.put("AGENT_WORKSPACE_DIR", volume.resolve("workspace").toString());
    env.put("AGENT_STATE_DIR", volume.resolve("state").toString());
    env.put("AGENT_MODEL_BASE_URL", model.baseUrl());
    env.put("AGENT_MODEL_NAME", "scripted-model");
    env.put("AGENT_EXECUTOR_SOCKET", volume.resolve("executor.sock").toString());
    long started = System.nanoTime();
    try (RunnerService service =
        RunnerService.start(
            RunnerSettings.fromEnv(env), new PrintStream(OutputStream.nullOutputStream()))) {
      ApiClient api = new ApiClient(service.address().getPort());
      while (api.send(api.unauthenticated("/readyz").GET()).status() != 200) {
        Thread.onSpinWait();
      }
      return (System.nanoTime() - started) / 1_000_000;
    }
  }

  private static void report(String what, List<long[]> figures) {
    List<Long> wall = figures.stream().map(f -> f[0]).toList();
    List<Long> cpu = figures.stream().map(f -> f[1]).toList();
    System.out.printf(
        Locale.ROOT,
        "BENCH start-to-ready | %s | wall median %d ms (min %d, max %d) | CPU median %d ms"
            + " | wall %s | CPU %s%n",
        what,
        median(wall),
        Collections.min(wall),
        Collections.max(wall),
        median(cpu),
        wall,
        cpu);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
