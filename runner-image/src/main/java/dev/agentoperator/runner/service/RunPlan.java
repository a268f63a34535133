package dev.agentoperator.runner.service;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.runner.loop.LoopConfig;
import dev.agentoperator.runner.loop.RunLimits;
import dev.agentoperator.runner.loop.RunSpec;
import dev.agentoperator.runner.loop.ToolCallPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Turns a validated {@link RunRequest} into what the loop runs: the {@link RunSpec} and the
 * runner's {@link LoopConfig} with this run's overrides (system prompt, output tokens, context
 * budget).
 */
public record RunPlan(RunSpec spec, LoopConfig config) {

  /** The 400 for a run request without a tool policy. */
  public static final String NO_POLICY =
      "the run request carries no tool policy (field 'tools'); the operator always sends one,"
          + " and an empty policy ({}) denies every tool";

  static RunPlan of(String uid, RunRequest request, LoopConfig base) {
    RunSpec spec =
        new RunSpec(
            uid,
            request.prompt(),
            request.model() == null ? null : request.model().name(),
            request.model() == null ? null : request.model().temperature(),
            limits(request.limits()),
            policy(request.tools()));
    LoopConfig config = base;
    if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
      config = config.withSystemPrompt(request.systemPrompt());
    }
    if (request.model() != null && request.model().maxOutputTokens() != null) {
      config = config.withMaxOutputTokens(request.model().maxOutputTokens());
    }
    if (request.model() != null && request.model().contextWindow() != null) {
      config = config.withContextTokenBudget(request.model().contextWindow());
    }
    return new RunPlan(spec, config);
  }

  private static RunLimits limits(RunRequest.Limits limits) {
    RunLimits result = RunLimits.defaults();
    if (limits == null) {
      return result;
    }
    if (limits.maxSteps() != null) {
      result = result.withMaxSteps(limits.maxSteps());
    }
    if (limits.maxTokens() != null) {
      result = result.withMaxTokens(limits.maxTokens());
    }
    if (limits.maxToolCalls() != null) {
      result = result.withMaxToolCalls(limits.maxToolCalls());
    }
    if (limits.timeoutSeconds() != null) {
      result = result.withTimeout(Duration.ofSeconds(limits.timeoutSeconds()));
    }
    return result;
  }

  /**
   * The request's policy. The HTTP layer's request checks refused a request without one; the
   * check here keeps this method fail-closed on its own.
   */
  private static ToolCallPolicy policy(RunRequest.Tools rules) {
    if (rules == null) {
      throw ApiException.badRequest(NO_POLICY);
    }
    ToolPolicy policy;
    try {
      policy = ToolPolicy.of(orEmpty(rules.allow()), orEmpty(rules.ask()), orEmpty(rules.deny()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("field 'tools' is invalid: " + e.getMessage());
    }
    return policy::decide;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
