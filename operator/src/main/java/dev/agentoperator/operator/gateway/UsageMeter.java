package dev.agentoperator.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens and requests per run (for budgets) and per namespace, session and model (Prometheus:
 * {@code agent_gateway_requests_total{namespace,session,model,outcome}} and {@code
 * agent_gateway_tokens_total{namespace,session,model,type=prompt|completion}}). The per-run table
 * keeps the most recently used runs only: a run's budget lives in the runner too, the gateway's
 * count is the server-side backstop.
 */
final class UsageMeter {

  private static final int MAX_RUNS = 10_000;

  private final MeterRegistry registry;
  private final Map<RunKey, RunUsage> runs =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RunKey, RunUsage> eldest) {
          return size() > MAX_RUNS;
        }
      };

  UsageMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  /** What one run has used so far through this gateway. */
  synchronized RunUsage usage(GatewayRoute route, String run) {
    return runs.getOrDefault(key(route, run), RunUsage.NONE);
  }

  /** Counts one request that got an answer from upstream, with the usage the answer reported. */
  void answered(GatewayRoute route, String run, String model, int status, JsonNode usage) {
    long prompt = usage == null ? 0 : usage.path("prompt_tokens").asLong(0);
    long completion = usage == null ? 0 : usage.path("completion_tokens").asLong(0);
    long total = usage == null ? 0 : usage.path("total_tokens").asLong(prompt + completion);
    synchronized (this) {
      runs.merge(key(route, run), new RunUsage(1, total), RunUsage::plus);
    }
    outcome(route, model, status >= 200 && status < 300 ? "ok" : "upstream_" + status);
    tokens(route, model, "prompt").increment(prompt);
    tokens(route, model, "completion").increment(completion);
  }

  /** Counts a request the gateway answered itself ({@code outcome} e.g. budget_exceeded). */
  void outcome(GatewayRoute route, String model, String outcome) {
    Counter.builder("agent_gateway_requests")
        .description("Chat completion requests through the gateway")
        .tags(tags(route, model))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private Counter tokens(GatewayRoute route, String model, String type) {
    return Counter.builder("agent_gateway_tokens")
        .description("Tokens the upstream model reported, by type")
        .tags(tags(route, model))
        .tag("type", type)
        .register(registry);
  }

  private static Tags tags(GatewayRoute route, String model) {
    return Tags.of(
        "namespace", route.namespace(), "session", route.session(), "model", String.valueOf(model));
  }

  private static RunKey key(GatewayRoute route, String run) {
    return new RunKey(route.namespace(), route.session(), run == null ? "" : run);
  }

  /** Requests and total tokens of one run. */
  record RunUsage(long requests, long totalTokens) {
    static final RunUsage NONE = new RunUsage(0, 0);

    RunUsage plus(RunUsage other) {
      return new RunUsage(requests + other.requests, totalTokens + other.totalTokens);
    }
  }

  private record RunKey(String namespace, String session, String run) {}
}
