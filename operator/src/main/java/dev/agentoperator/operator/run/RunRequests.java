package dev.agentoperator.operator.run;

import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import dev.agentoperator.operator.config.Durations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/** Builds the runner's start request from a run and its session. */
public final class RunRequests {

  private RunRequests() {}

  /**
   * The request that starts (or, with {@code resume}, continues) {@code run} in {@code session}.
   * The session is required: without it the request would lack the session's system prompt and,
   * worse, its tool policy.
   */
  public static RunRequest build(AgentRun run, AgentSessionSpec session, boolean resume) {
    Objects.requireNonNull(session, "a run request is built only with its session's spec");
    var spec = run.getSpec();
    RunRequest.Model model =
        spec.model() == null
            ? null
            : new RunRequest.Model(spec.model().name(), spec.model().temperature(), null, null);
    RunRequest.Limits limits = null;
    if (spec.limits() != null) {
      var l = spec.limits();
      Long timeout =
          l.timeout() == null ? null : Math.max(1, Durations.parse(l.timeout()).toSeconds());
      limits = new RunRequest.Limits(l.maxSteps(), l.maxTokens(), timeout, l.maxToolCalls());
    }
    return new RunRequest(
        spec.prompt(),
        run.getMetadata().getNamespace() + "/" + run.getMetadata().getName(),
        session.systemPrompt(),
        model,
        limits,
        effectiveTools(spec.tools(), session.tools()),
        spec.restoreSnapshot(),
        resume ? Boolean.TRUE : null,
        spec.mcpServers() == null ? null : List.copyOf(spec.mcpServers()));
  }

  /**
   * The policy the runner enforces: the run's allow and ask when it narrows them (validation made
   * sure it only narrows), and always the session's deny plus the run's. Never null: with no policy
   * anywhere it is the empty policy, which denies every tool (the runner refuses a request without
   * one).
   */
  static RunRequest.Tools effectiveTools(ToolPolicySpec run, ToolPolicySpec session) {
    ToolPolicySpec base = run != null ? run : session;
    if (base == null) {
      return RunRequest.Tools.denyAll();
    }
    LinkedHashSet<String> deny = new LinkedHashSet<>();
    if (session != null && session.deny() != null) {
      deny.addAll(session.deny());
    }
    if (run != null && run.deny() != null) {
      deny.addAll(run.deny());
    }
    return new RunRequest.Tools(copy(base.allow()), copy(base.ask()), new ArrayList<>(deny));
  }

  private static List<String> copy(List<String> patterns) {
    return patterns == null ? List.of() : List.copyOf(patterns);
  }
}
