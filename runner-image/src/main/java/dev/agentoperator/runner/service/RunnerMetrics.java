package dev.agentoperator.runner.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.runner.events.EventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The runner's Prometheus metrics, derived from run events: step duration, model latency, tokens,
 * tool calls by tool and outcome, runs by outcome, and whether a run is active.
 */
public final class RunnerMetrics implements EventListener {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Instant> stepStarts = new ConcurrentHashMap<>();
  private final Set<String> knownTools;

  /**
   * @param knownTools the registered tool names; MCP tools ({@code mcp__*}, learnt per run) are
   *     counted as {@code mcp} and any other name (a model's invention) as {@code unknown}, so the
   *     label's values stay bounded
   */
  public RunnerMetrics(Set<String> knownTools, Supplier<String> activeRun) {
    this.knownTools = Set.copyOf(knownTools);
    Gauge.builder("agent_runner_active_runs", () -> activeRun.get() == null ? 0 : 1)
        .description("1 while a run executes in this runner")
        .register(registry);
  }

  @Override
  public void onEvent(RunEvent event) {
    JsonNode d = event.data();
    switch (event.type()) {
      case EventType.STEP_STARTED -> {
        endStep(event);
        stepStarts.put(event.runUid(), event.instant());
      }
      case EventType.LLM_COMPLETED -> {
        Timer.builder("agent_runner_model_latency")
            .description("time of one model call")
            .register(registry)
            .record(Duration.ofMillis(d.path("durationMs").asLong()));
        tokens("input", d.path("inputTokens").asLong());
        tokens("output", d.path("outputTokens").asLong());
      }
      case EventType.TOOL_RESULT ->
          toolCall(
              d.path("tool").asText(),
              d.path("rejected").asBoolean()
                  ? "rejected"
                  : d.path("error").asBoolean() ? "error" : "ok");
      case EventType.TOOL_BLOCKED -> toolCall(d.path("tool").asText(), "blocked");
      case EventType.RUN_SUCCEEDED, EventType.RUN_FAILED, EventType.RUN_CANCELLED -> {
        endStep(event);
        stepStarts.remove(event.runUid());
        Counter.builder("agent_runner_runs")
            .description("finished runs by outcome")
            .tag("outcome", d.path("phase").asText(outcome(event.type())))
            .tag("reason", d.path("reason").asText("unknown"))
            .register(registry)
            .increment();
      }
      default -> {
        // not measured
      }
    }
  }

  /** The Prometheus text exposition of all metrics. */
  public String scrape() {
    return registry.scrape();
  }

  private void endStep(RunEvent event) {
    Instant started = stepStarts.get(event.runUid());
    if (started != null && !event.instant().isBefore(started)) {
      Timer.builder("agent_runner_step_duration")
          .description("time of one step: model call and its tool calls")
          .register(registry)
          .record(Duration.between(started, event.instant()));
    }
  }

  private void tokens(String type, long count) {
    Counter.builder("agent_runner_tokens")
        .description("model tokens used")
        .tag("type", type)
        .register(registry)
        .increment(count);
  }

  private String toolLabel(String tool) {
    if (knownTools.contains(tool)) {
      return tool;
    }
    return tool != null && tool.startsWith("mcp__") ? "mcp" : "unknown";
  }

  private void toolCall(String tool, String outcome) {
    Counter.builder("agent_runner_tool_calls")
        .description("tool calls by tool and outcome")
        .tag("tool", toolLabel(tool))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private static String outcome(String type) {
    return switch (type) {
      case EventType.RUN_SUCCEEDED -> "Succeeded";
      case EventType.RUN_CANCELLED -> "Cancelled";
      default -> "Failed";
    };
  }
}
