package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prints AgentRuns the way {@code kubectl get agentruns -w} does: a header once, then a row
 * whenever a run's session, phase, steps or tokens change.
 */
final class RunTable {

  private static final String FORMAT = "%-24s %-24s %-17s %-6s %-8s %s%n";

  private final PrintStream out;
  private final Clock clock;
  private final Map<String, String> lastRow = new HashMap<>();
  private boolean headerPrinted;

  RunTable(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Prints the run's row if it differs from the last one printed for it. */
  synchronized void show(AgentRun run) {
    AgentRunStatus status = run.getStatus();
    String session = status == null || status.getSession() == null ? "" : status.getSession();
    String phase = status == null || status.getPhase() == null ? "" : status.getPhase().name();
    String steps = status == null || status.getSteps() == null ? "" : status.getSteps().toString();
    String tokens = status == null || status.getUsage() == null
        ? "" : Long.toString(status.getUsage().totalTokens());
    String row = String.join("|", session, phase, steps, tokens);
    String name = run.getMetadata().getName();
    if (Objects.equals(lastRow.put(name, row), row)) {
      return;
    }
    if (!headerPrinted) {
      out.printf(FORMAT, "NAME", "SESSION", "PHASE", "STEPS", "TOKENS", "AGE");
      headerPrinted = true;
    }
    out.printf(FORMAT, name, session, phase, steps, tokens, age(run));
  }

  private String age(AgentRun run) {
    String created = run.getMetadata().getCreationTimestamp();
    if (created == null) {
      return "";
    }
    Duration age = Duration.between(Instant.parse(created), clock.instant());
    long seconds = Math.max(0, age.toSeconds());
    return seconds < 120 ? seconds + "s" : seconds / 60 + "m" + seconds % 60 + "s";
  }
}
