package dev.agentoperator.operator.dev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.RunResult;
import dev.agentoperator.operator.api.v1alpha1.SnapshotStatus;
import dev.agentoperator.operator.api.v1alpha1.Usage;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RunTableTest {

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:42Z"), ZoneOffset.UTC);

  @Test
  void shouldPrintTheHeaderOnceAndARowOnlyWhenTheRunChanges() {
    RunTable table = new RunTable(out, clock);

    table.show(run(AgentRunPhase.Running, 1, 120));
    table.show(run(AgentRunPhase.Running, 1, 120));
    table.show(run(AgentRunPhase.Succeeded, 2, 250));

    assertThat(buffer.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        "NAME                     SESSION                  PHASE             STEPS  TOKENS   AGE",
        "demo                     demo-session             Running           1      120      42s",
        "demo                     demo-session             Succeeded         2      250      42s");
  }

  @Test
  void shouldReportResultSnapshotAndUsageOfAFinishedRun() {
    AgentRun run = run(AgentRunPhase.Succeeded, 2, 250);
    run.getStatus().setToolCalls(1).setAttempts(2)
        .setResult(new RunResult("line one\nline two", false))
        .setSnapshot(new SnapshotStatus("0123456789abcdef0123456789abcdef01234567", 3));

    RunReport.print(out, run);

    assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo("""
        demo: Succeeded after 2 step(s) and 1 tool call(s), 2 attempts
          result:   line one
                    line two
          snapshot: 0123456789abcdef0123456789abcdef01234567 (3 snapshot(s))
          usage:    200 input + 50 output = 250 tokens
        """);
  }

  private static AgentRun run(AgentRunPhase phase, int steps, long tokens) {
    AgentRun run = new AgentRun();
    run.setMetadata(new ObjectMetaBuilder().withName("demo")
        .withCreationTimestamp("2026-11-22T12:00:00Z").build());
    run.setStatus(new AgentRunStatus().setSession("demo-session").setPhase(phase)
        .setSteps(steps).setUsage(new Usage(tokens - 50, 50, tokens)));
    return run;
  }
}
