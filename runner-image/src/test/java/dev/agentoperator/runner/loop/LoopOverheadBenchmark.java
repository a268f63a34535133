package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.llm.WireFormat;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's own cost per step: a zero-latency in-process model that asks for one no-op tool call
 * per step, so what is measured is the loop (token counting for the budget, transcript, checkpoint,
 * events, console output to a null stream), not a model or a tool.
 */
@Tag("bench")
class LoopOverheadBenchmark {

  @TempDir Path root;

  @Test
  void measureLoopOverheadPerStep() throws Exception {
    run("warmup", 300);
    // Thread CPU time next to wall time: on a shared machine the wall clock mostly measures the
    // neighbours, the CPU time what the loop itself costs.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int steps : new int[] {50, 200, 500}) {
      long bestWall = Long.MAX_VALUE;
      long bestCpu = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long cpu = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        RunResult result = run("bench-" + steps + "-" + round, steps);
        bestWall = Math.min(bestWall, System.nanoTime() - started);
        bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - cpu);
        assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
      }
      System.out.printf(
          Locale.ROOT,
          "BENCH loop overhead, run of %d steps (best of 5): %.0f us/step CPU, %.0f us/step wall%n",
          steps,
          bestCpu / 1e3 / (steps + 1),
          bestWall / 1e3 / (steps + 1));
    }
  }

  private RunResult run(String uid, int toolSteps) throws Exception {
    Path workspace = Files.createDirectories(root.resolve(uid).resolve("ws"));
    Path state = Files.createDirectories(root.resolve(uid).resolve("state"));
    LoopConfig config =
        LoopConfig.of(new InstantModel(toolSteps), "bench", new NoopTools(), workspace, state);
    AgentLoop loop =
        new AgentLoop(
            config,
            TestPolicies.runAllowingEveryTool(uid, "Benchmark the loop")
                .withLimits(RunLimits.unlimited()));
    loop.events()
        .addListener(
            new dev.agentoperator.runner.events.ConsoleReporter(
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                dev.agentoperator.runner.events.ConsoleReporter.Format.TEXT));
    return loop.run();
  }

  /** Answers at once: a tool call for the first {@code toolSteps} requests, then a final answer. */
  private static final class InstantModel implements ChatModel {
    private final int toolSteps;
    private int calls;

    InstantModel(int toolSteps) {
      this.toolSteps = toolSteps;
    }

    @Override
    public ChatResponse complete(dev.agentoperator.runner.llm.ChatRequest request) {
      calls++;
      ChatMessage message =
          calls <= toolSteps
              ? ChatMessage.assistant(
                  "Step " + calls + ": checking the next item.",
                  List.of(new ToolCall("call_" + calls, "noop", "{\"item\":" + calls + "}")))
              : ChatMessage.assistant("Done.", List.of());
      return new ChatResponse(
          message, calls <= toolSteps ? "tool_calls" : "stop", Usage.of(100, 20));
    }
  }

  /** One tool that returns a short text at once. */
  private static final class NoopTools implements ToolBox {
    private final List<JsonNode> schemas;

    NoopTools() {
      try {
        schemas =
            List.of(
                WireFormat.JSON.readTree(
                    "{\"type\":\"function\",\"function\":{\"name\":\"noop\",\"description\":\"Does"
                        + " nothing.\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"integer\"}}}}}"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public List<JsonNode> schemas() {
      return schemas;
    }

    @Override
    public CheckedCall prepare(String toolName, String rawArgumentsJson) {
      return new CheckedCall() {
        @Override
        public String toolName() {
          return toolName;
        }

        @Override
        public String mainArgument() {
          return rawArgumentsJson;
        }

        @Override
        public Optional<ToolResult> rejection() {
          return Optional.empty();
        }

        @Override
        public ToolResult execute(ToolContext context) {
          return ToolResult.ok("item checked: everything is in order");
        }
      };
    }

    @Override
    public boolean mayChangeFiles(String toolName) {
      return false;
    }
  }
}
