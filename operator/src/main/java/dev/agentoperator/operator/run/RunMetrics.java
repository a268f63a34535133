package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's run metrics: runs by phase and queue length (gauges over the informer cache, so
 * they cost nothing per reconcile), run duration by outcome, and tokens used by finished runs.
 */
public final class RunMetrics {

  private final MeterRegistry registry;

  public RunMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the gauges over {@code runs}, the runs the operator currently knows. */
  public void observe(Supplier<Stream<AgentRun>> runs) {
    for (AgentRunPhase phase : AgentRunPhase.values()) {
      Gauge.builder("agent_operator_runs", () -> count(runs, phase))
          .description("AgentRuns by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
    Gauge.builder("agent_operator_run_queue_length", () -> count(runs, AgentRunPhase.Queued))
        .description("AgentRuns waiting for their session")
        .register(registry);
  }

  /** Records a run that just ended: its duration (from start, if it started) and its tokens. */
  public void ended(AgentRunStatus status) {
    String outcome = status.getPhase() == null ? "Unknown" : status.getPhase().name();
    Duration duration = between(status.getStartTime(), status.getCompletionTime());
    if (duration != null) {
      Timer.builder("agent_operator_run_duration")
          .description("Wall-clock time from dispatch to end of AgentRuns")
          .tag("outcome", outcome)
          .register(registry)
          .record(duration);
    }
    if (status.getUsage() != null) {
      Counter.builder("agent_operator_run_tokens")
          .description("Tokens (input plus output) used by finished AgentRuns")
          .tag("outcome", outcome)
          .register(registry)
          .increment(status.getUsage().totalTokens());
    }
  }

  private static double count(Supplier<Stream<AgentRun>> runs, AgentRunPhase phase) {
    return runs.get()
        .filter(r -> r.getStatus() != null && r.getStatus().getPhase() == phase)
        .count();
  }

  private static Duration between(String start, String end) {
    if (start == null || end == null) {
      return null;
    }
    try {
      Duration d = Duration.between(Instant.parse(start), Instant.parse(end));
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
