package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.ChatResponse;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.llm.ToolCall;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What compaction costs over a long run at a 4096-token budget: how often it runs, the tokens the
 * summary calls send, and the compactor's own CPU time, with a model that summarises and with one
 * whose summaries are always rejected (so every compaction masks).
 */
@Tag("bench")
class CompactionCostBenchmark {

  private static final int BUDGET = 4096;
  private static final int STEPS = 300;

  @Test
  void measureCompactionCostOverALongRun() throws Exception {
    for (String summariser : List.of("summaries accepted", "summaries rejected, masking")) {
      run(summariser); // warm-up
      Figures figures = run(summariser);
      System.out.printf(
          Locale.ROOT,
          "BENCH compaction (%s), %d steps at %d tokens: %d compactions, %d summary calls sending"
              + " %d tokens, %.0f us CPU per compaction%n",
          summariser,
          STEPS,
          BUDGET,
          figures.compactions,
          figures.summaryCalls,
          figures.summaryInputTokens,
          figures.cpuNanos / 1e3 / Math.max(1, figures.compactions));
      assertThat(figures.compactions).isPositive();
    }
  }

  private Figures run(String summariser) throws InterruptedException {
    TokenCounter tokens = new TokenCounter();
    Figures figures = new Figures();
    ChatModel model =
        request -> {
          figures.summaryCalls++;
          figures.summaryInputTokens += tokens.count(request);
          String text =
              summariser.startsWith("summaries accepted") ? "Listed items each step." : "";
          return new ChatResponse(ChatMessage.assistant(text, List.of()), "stop", Usage.ZERO);
        };
    List<JsonNode> schemas = LoopFixture.inProcessTools().schemas();
    ContextCompactor compactor =
        new ContextCompactor(tokens, BUDGET, SpecResources.compactionPrompt());
    List<ChatMessage> context = new ArrayList<>();
    context.add(ChatMessage.system(SpecResources.systemPrompt()));
    context.add(ChatMessage.user("Benchmark compaction."));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String output = "item\n".repeat(120);
    for (int step = 1; step <= STEPS; step++) {
      String id = "call_" + step;
      context.add(
          ChatMessage.assistant(
              "Step " + step, List.of(new ToolCall(id, "shell", "{\"command\":\"ls\"}"))));
      context.add(ChatMessage.toolResult(id, output));
      long cpu = threads.getCurrentThreadCpuTime();
      ContextCompactor.Fitted fitted = compactor.fit(context, schemas, model, "bench");
      if (fitted.compacted()) {
        figures.cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
        figures.compactions++;
        context = new ArrayList<>(fitted.context());
      }
    }
    return figures;
  }

  private static final class Figures {
    int compactions;
    int summaryCalls;
    long summaryInputTokens;
    long cpuNanos;
  }
}
