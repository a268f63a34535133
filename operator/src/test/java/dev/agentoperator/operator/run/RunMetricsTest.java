package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RunMetrics metrics = new RunMetrics(registry);

  @Test
  void shouldCountRunsByPhaseAndTheQueueFromTheCurrentRuns() {
    List<AgentRun> runs =
        List.of(run(AgentRunPhase.Queued), run(AgentRunPhase.Queued), run(AgentRunPhase.Running));

    metrics.observe(runs::stream);

    assertThat(registry.get("agent_operator_runs").tag("phase", "Queued").gauge().value())
        .isEqualTo(2);
    assertThat(registry.get("agent_operator_runs").tag("phase", "Running").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("agent_operator_run_queue_length").gauge().value()).isEqualTo(2);
  }

  @Test
  void shouldRecordDurationAndTokensOfAnEndedRunByOutcome() {
    metrics.ended(
        new AgentRunStatus()
            .setPhase(AgentRunPhase.Succeeded)
            .setStartTime("2026-11-22T10:00:00Z")
            .setCompletionTime("2026-11-22T10:01:30Z")
            .setUsage(new Usage(100, 20, 120)));

    var timer = registry.get("agent_operator_run_duration").tag("outcome", "Succeeded").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(90);
    assertThat(
            registry.get("agent_operator_run_tokens").tag("outcome", "Succeeded").counter().count())
        .isEqualTo(120);
  }

  private static AgentRun run(AgentRunPhase phase) {
    AgentRun run = new AgentRun();
    run.setStatus(new AgentRunStatus().setPhase(phase));
    return run;
  }
}
