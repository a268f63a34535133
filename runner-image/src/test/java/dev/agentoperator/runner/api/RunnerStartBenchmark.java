package dev.agentoperator.runner.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-to-ready time of the runner: from launching {@code agent-runner serve} (a new JVM, as in
 * the pod) until {@code GET /readyz} answers 200; on an empty volume and on one whose workspace
 * holds 10,000 files with a snapshot of them; and the in-process start of an already warm JVM.
 * Figures go to BENCHMARKS.md.
 */
@Tag("bench")
class RunnerStartBenchmark {

  private static final int FILES = 10_000;

  @TempDir Path root;

  @Test
  void measureStartToReady() throws Exception {
    try (ScriptedModelServer model =
        new ScriptedModelServer(ScriptedModelServer.Turn.answer("done"))) {
      Map<String, String> env =
          Map.of(
              "AGENT_RUNNER_TOKEN", ApiClient.TOKEN,
              "AGENT_MODEL_PROVIDER", "openai",
              "AGENT_MODEL_BASE_URL", model.baseUrl(),
              "AGENT_MODEL_NAME", "scripted-model");

      List<Long> empty = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        empty.add(processStartToReady(root.resolve("empty-" + i), env));
      }

      Path big = root.resolve("big");
      Path workspace = big.resolve("workspace");
      for (int i = 0; i < FILES; i++) {
        Path file = workspace.resolve("src/d" + (i % 100) + "/f" + i + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "file " + i + "\n".repeat(10));
      }
      try (var snapshotter =
          dev.agentoperator.runner.workspace.Snapshotter.open(
              workspace, big.resolve("state/snapshots.git"), 10L * 1024 * 1024)) {
        assertThat(snapshotter.snapshot("baseline")).isPresent();
      }
      List<Long> large = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        large.add(processStartToReady(big, env));
      }

      // Application class-data sharing: the first start writes the archive, later ones map it.
      List<String> cds =
          List.of(
              "-XX:SharedArchiveFile=" + root.resolve("runner.jsa"),
              "-XX:+AutoCreateSharedArchive");
      processStartToReady(root.resolve("cds-dump"), env, cds);
      List<Long> withCds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        withCds.add(processStartToReady(root.resolve("cds-" + i), env, cds));
      }

      List<Long> warm = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        warm.add(inProcessStartToReady(root.resolve("warm-" + i), model));
      }

      report("serve process, empty volume (5 starts)", empty);
      report("serve process, 10,000-file workspace with a snapshot (3 starts)", large);
      report("serve process with an AppCDS archive, empty volume (5 starts)", withCds);
      report("RunnerService.start in a warm JVM (10 starts)", warm);
    }
  }

  private static long processStartToReady(Path volume, Map<String, String> env) throws Exception {
    return processStartToReady(volume, env, List.of());
  }

  private static long processStartToReady(
      Path volume, Map<String, String> env, List<String> jvmOptions) throws Exception {
    long started = System.nanoTime();
    try (RunnerProcess runner =
        RunnerProcess.start(volume, env, Duration.ofSeconds(120), jvmOptions)) {
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
