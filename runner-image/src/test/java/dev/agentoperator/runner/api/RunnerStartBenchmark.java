package dev.agentoperator.runner.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.workspace.Snapshotter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * new JVM on the shaded jar, as in the image) until {@code GET /readyz} answers 200; on an empty
 * volume and on one whose workspace holds 10,000 files with a snapshot of them; and the in-process
 * start of an already warm JVM. Figures go to BENCHMARKS.md.
 */
@Tag("bench")
class RunnerStartBenchmark {

  private static final int FILES = 10_000;

  @TempDir Path root;

  @Test
  void measureStartToReady() throws Exception {
    Path jar = shadedJar();
    try (ScriptedModelServer model =
        new ScriptedModelServer(ScriptedModelServer.Turn.answer("done"))) {
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

      List<Long> empty = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        empty.add(processStartToReady(jar, root.resolve("empty-" + i), env, List.of()));
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
      List<Long> large = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        large.add(processStartToReady(jar, big, env, List.of()));
      }

      // Application class-data sharing: a first start that exits normally writes the archive,
      // later starts map the classes from it instead of loading them from the jar.
      Path archive = root.resolve("runner.jsa");
      List<String> cds =
          List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive");
      try (RunnerProcess dump =
          RunnerProcess.startJar(
              jar, root.resolve("cds-dump"), env, Duration.ofSeconds(120), cds)) {
        ApiClient api = new ApiClient(dump.port());
        assertThat(api.send(api.unauthenticated("/readyz").GET()).status()).isEqualTo(200);
        dump.terminate();
      }
      assertThat(archive).exists();
      List<Long> withCds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        withCds.add(processStartToReady(jar, root.resolve("cds-" + i), env, cds));
      }

      List<Long> warm = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        warm.add(inProcessStartToReady(root.resolve("warm-" + i), model));
      }

      report("java -jar agent-runner-all.jar serve, empty volume (5 starts)", empty);
      report("same, 10,000-file workspace with a snapshot (3 starts)", large);
      report("same, with an AppCDS archive, empty volume (5 starts)", withCds);
      report("RunnerService.start in a warm JVM (10 starts)", warm);
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

  private static long processStartToReady(
      Path jar, Path volume, Map<String, String> env, List<String> jvmOptions) throws Exception {
    long started = System.nanoTime();
    try (RunnerProcess runner =
        RunnerProcess.startJar(jar, volume, env, Duration.ofSeconds(120), jvmOptions)) {
      ApiClient api = new ApiClient(runner.port());
      while (api.send(api.unauthenticated("/readyz").GET()).status() != 200) {
        Thread.onSpinWait();
      }
      return (System.nanoTime() - started) / 1_000_000;
    }
  }

  private static long inProcessStartToReady(Path volume, ScriptedModelServer model)
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

  private static void report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "BENCH start-to-ready | %s | median %d ms, min %d ms, max %d ms | all %s%n",
        what,
        sorted.get(sorted.size() / 2),
        sorted.getFirst(),
        sorted.getLast(),
        millis);
  }
}
