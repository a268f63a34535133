package dev.agentoperator.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speed figures for BENCHMARKS.md; run with {@code -Pbench}. Prints medians, asserts only that the
 * work was done (never a speed).
 */
@Tag("bench")
class ToolsBenchmark {

  @TempDir Path workspace;
  @TempDir Path state;

  @Test
  void shellCancelLatency() throws Exception {
    ToolHarness tools = ToolHarness.standard(workspace, state);
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Path marker = workspace.resolve("started-" + i);
      AtomicLong returnedAt = new AtomicLong();
      Thread caller =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      tools.call(
                          "shell",
                          Map.of("command", "touch " + marker + "; sleep 300 & sleep 300"));
                    } catch (InterruptedException expected) {
                      returnedAt.set(System.nanoTime());
                    }
                  });
      while (!Files.exists(marker)) {
        Thread.onSpinWait();
      }
      long interruptedAt = System.nanoTime();
      caller.interrupt();
      caller.join(Duration.ofSeconds(30));
      assertThat(returnedAt.get()).isPositive();
      millis.add((returnedAt.get() - interruptedAt) / 1_000_000);
    }
    report("shell cancel -> call returned (ms)", millis);
  }

  @Test
  void shellCallRoundTrip() throws Exception {
    ToolHarness tools = ToolHarness.standard(workspace, state);
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      ToolResult result = tools.call("shell", Map.of("command", "echo hi"));
      millis.add((System.nanoTime() - start) / 1_000_000);
      assertThat(result.content()).isEqualTo("hi\nexit code: 0");
    }
    report("shell `echo hi` round trip (ms)", millis);
  }

  @Test
  void grepOverTwoThousandFiles() throws Exception {
    for (int d = 0; d < 20; d++) {
      Path dir = Files.createDirectories(workspace.resolve("pkg" + d));
      for (int f = 0; f < 100; f++) {
        StringBuilder content = new StringBuilder();
        for (int line = 0; line < 200; line++) {
          content.append("  int value").append(line).append(" = compute(").append(f).append(");\n");
        }
        if (f == 42) {
          content.append("  // NEEDLE here\n");
        }
        Files.writeString(dir.resolve("File" + f + ".java"), content);
      }
    }
    ToolHarness tools = ToolHarness.standard(workspace, state);
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      long start = System.nanoTime();
      ToolResult result = tools.call("grep", Map.of("pattern", "NEEDLE"));
      millis.add((System.nanoTime() - start) / 1_000_000);
      assertThat(result.content()).contains("20 matching line(s) in 20 file(s)");
    }
    report("grep 2000 files x 200 lines (ms)", millis);
  }

  @Test
  void workspacePathResolution() throws Exception {
    Files.createDirectories(workspace.resolve("a/b/c/d"));
    WorkspacePaths paths = WorkspacePaths.of(workspace);
    int rounds = 200_000;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      paths.resolveForWrite("a/b/c/d/file" + (i % 10) + ".txt");
    }
    long nanosPerCall = (System.nanoTime() - start) / rounds;
    System.out.println("BENCH resolveForWrite 5-level path: " + nanosPerCall / 1000.0 + " us/call");
  }

  @Test
  void policyDecisions() {
    ToolPolicy policy =
        ToolPolicy.of(
            List.of("read_file", "grep", "glob", "list_dir", "shell", "edit_file", "write_file"),
            List.of("shell:git push*", "shell:*kubectl*", "web_fetch"),
            List.of("shell:rm -rf /*", "*:*.env", "write_file:.github/*"));
    int rounds = 1_000_000;
    long allowed = 0;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      if (policy.decide("shell", "mvn -q test -Dtest=Case" + (i % 100)).verdict()
          == Verdict.ALLOW) {
        allowed++;
      }
    }
    long nanosPerCall = (System.nanoTime() - start) / rounds;
    assertThat(allowed).isEqualTo(rounds);
    System.out.println(
        "BENCH policy decide (9 patterns, allowed shell call): " + nanosPerCall + " ns/call");
  }

  private static void report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.println(
        "BENCH "
            + what
            + ": median "
            + sorted.get(sorted.size() / 2)
            + ", max "
            + sorted.get(sorted.size() - 1)
            + ", runs "
            + sorted);
  }
}
