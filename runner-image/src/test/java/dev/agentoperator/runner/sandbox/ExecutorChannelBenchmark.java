package dev.agentoperator.runner.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.PreparedCall;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor channel's round trip, for BENCHMARKS.md; run with {@code -Pbench}. Prints
 * percentiles; asserts only that the calls worked.
 */
@Tag("bench")
class ExecutorChannelBenchmark {

  private static final int WARM_UP = 200;
  private static final int ROUNDS = 1000;

  @TempDir Path root;

  @Test
  void measureRoundTripThroughTheExecutorChannel() throws Exception {
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve("a.txt"), "a\n");
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults());
    ToolContext context = new ToolContext(workspace, root.resolve("state"), Set.of());
    SandboxExecutor channel =
        new SandboxExecutor(root.resolve("executor.sock"), Duration.ofSeconds(5));
    try (ExecutorServer server =
        ExecutorServer.start(root.resolve("executor.sock"), registry, workspace)) {
      report("list_dir (channel only)", registry, context, channel, "list_dir", "{}");
      report("shell `true` (channel + process)", registry, context, channel, "shell",
          "{\"command\":\"true\"}");
      report("shell `true` in process, no channel", registry, context, registry::execute,
          "shell", "{\"command\":\"true\"}");
    }
  }

  private static void report(String what, ToolRegistry registry, ToolContext context,
      ToolExecutor executor, String tool, String arguments)
      throws Exception {
    PreparedCall call = registry.prepare(tool, arguments);
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < WARM_UP + ROUNDS; i++) {
      long started = System.nanoTime();
      ToolResult result = registry.execute(call, context, executor);
      long took = (System.nanoTime() - started) / 1000;
      assertThat(result.error()).as(result.content()).isFalse();
      if (i >= WARM_UP) {
        micros.add(took);
      }
    }
    Collections.sort(micros);
    System.out.printf("BENCH executor %s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%d calls)%n",
        what, micros.get(ROUNDS / 2) / 1000.0, micros.get(ROUNDS * 9 / 10) / 1000.0,
        micros.get(ROUNDS * 99 / 100) / 1000.0, ROUNDS);
  }
}
