package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import java.io.PrintStream;

/** The closing report of one finished run: outcome, result, snapshot commit and usage. */
final class RunReport {

  private RunReport() {}

  static void print(PrintStream out, AgentRun run) {
    AgentRunStatus s = run.getStatus();
    String name = run.getMetadata().getName();
    if (s == null || s.getPhase() == null) {
      out.printf("%s: no status%n", name);
      return;
    }
    out.printf("%s: %s after %s step(s) and %s tool call(s)%s%n", name, s.getPhase(),
        orZero(s.getSteps()), orZero(s.getToolCalls()),
        s.getAttempts() != null && s.getAttempts() > 1 ? ", " + s.getAttempts() + " attempts" : "");
    if (s.getMessage() != null && !s.getMessage().isBlank()) {
      out.printf("  message:  %s%n", s.getMessage());
    }
    if (s.getResult() != null && s.getResult().text() != null) {
      out.printf("  result:   %s%s%n", indent(s.getResult().text().strip()),
          s.getResult().truncated() ? " [truncated]" : "");
    }
    if (s.getSnapshot() != null && s.getSnapshot().commit() != null) {
      out.printf("  snapshot: %s (%s snapshot(s))%n", s.getSnapshot().commit(),
          orZero(s.getSnapshot().count()));
    }
    if (s.getUsage() != null) {
      out.printf("  usage:    %d input + %d output = %d tokens%n", s.getUsage().inputTokens(),
          s.getUsage().outputTokens(), s.getUsage().totalTokens());
    }
  }

  private static String indent(String text) {
    return text.replace("\n", "\n            ");
  }

  private static Object orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
