package dev.agentoperator.runner.http;

import static dev.agentoperator.contract.runner.RunnerApiLimits.ANSWER_MAX_CHARS;
import static dev.agentoperator.contract.runner.RunnerApiLimits.BY_MAX_CHARS;
import static dev.agentoperator.contract.runner.RunnerApiLimits.COMMIT;
import static dev.agentoperator.contract.runner.RunnerApiLimits.CONTEXT_WINDOW_MIN;
import static dev.agentoperator.contract.runner.RunnerApiLimits.PROMPT_MAX_CHARS;
import static dev.agentoperator.contract.runner.RunnerApiLimits.REASON_MAX_CHARS;

import dev.agentoperator.contract.policy.PolicyPattern;
import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.runner.service.Abbreviate;
import dev.agentoperator.runner.service.ApiException;
import dev.agentoperator.runner.service.RunPlan;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ranges {@code spec/runner-api.yaml} states for request bodies, checked where the runner
 * reads them: each check answers the body (normalised where the spec allows variants) or throws a
 * 400 naming the field.
 */
final class RequestChecks {

  private RequestChecks() {}

  static RunRequest checked(RunRequest request) {
    String prompt = request.prompt();
    if (prompt == null || prompt.isBlank()) {
      throw ApiException.badRequest("field 'prompt' is required and must not be blank");
    }
    if (prompt.length() > PROMPT_MAX_CHARS) {
      throw ApiException.badRequest(
          "field 'prompt' has "
              + prompt.length()
              + " characters; at most "
              + PROMPT_MAX_CHARS
              + " are allowed");
    }
    RunRequest.Model model = request.model();
    if (model != null) {
      if (model.name() != null && model.name().isBlank()) {
        throw ApiException.badRequest("field 'model.name' must not be blank when given");
      }
      if (model.temperature() != null
          && (model.temperature() < 0 || model.temperature() > 2 || model.temperature().isNaN())) {
        throw ApiException.badRequest(
            "field 'model.temperature' must be between 0 and 2, got " + model.temperature());
      }
      atLeast("model.maxOutputTokens", model.maxOutputTokens(), 1);
      atLeast("model.contextWindow", model.contextWindow(), CONTEXT_WINDOW_MIN);
    }
    RunRequest.Limits limits = request.limits();
    if (limits != null) {
      atLeast("limits.maxSteps", limits.maxSteps(), 1);
      atLeast("limits.maxTokens", limits.maxTokens(), 1);
      atLeast("limits.timeoutSeconds", limits.timeoutSeconds(), 1);
      atLeast("limits.maxToolCalls", limits.maxToolCalls(), 1);
    }
    RunRequest.Tools tools = request.tools();
    if (tools != null) {
      patterns("tools.allow", tools.allow());
      patterns("tools.ask", tools.ask());
      patterns("tools.deny", tools.deny());
    }
    String restore = request.restoreSnapshot();
    if (restore != null && !COMMIT.matcher(restore).matches()) {
      throw ApiException.badRequest(
          "field 'restoreSnapshot' must be a commit id of 7 to 40 lower-case hex digits, got '"
              + Abbreviate.line(restore, 60)
              + "'");
    }
    // Last, so a request with other mistakes still hears about those first.
    if (tools == null) {
      throw ApiException.badRequest(RunPlan.NO_POLICY);
    }
    return request;
  }

  /** The decision with {@code decision} in lower case. */
  static ApprovalDecision checked(ApprovalDecision decision) {
    if (decision.id() == null || decision.id().isBlank()) {
      throw ApiException.badRequest("field 'id' is required: the id of the pending approval");
    }
    if (decision.decision() == null) {
      throw ApiException.badRequest("field 'decision' is required: 'approve' or 'deny'");
    }
    String normalized = decision.decision().toLowerCase(Locale.ROOT);
    if (!normalized.equals(ApprovalDecision.APPROVE) && !normalized.equals(ApprovalDecision.DENY)) {
      throw ApiException.badRequest(
          "field 'decision' must be 'approve' or 'deny', got '"
              + Abbreviate.line(decision.decision(), 40)
              + "'");
    }
    String reason = decision.reason();
    if (reason != null && reason.length() > REASON_MAX_CHARS) {
      throw ApiException.badRequest(
          "field 'reason' has "
              + reason.length()
              + " characters; at most "
              + REASON_MAX_CHARS
              + " are allowed");
    }
    checkBy(decision.by());
    return new ApprovalDecision(decision.id(), normalized, reason, decision.by());
  }

  static QuestionAnswer checked(QuestionAnswer answer) {
    if (answer.id() == null || answer.id().isBlank()) {
      throw ApiException.badRequest("field 'id' is required: the id of the pending question");
    }
    String text = answer.answer();
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("field 'answer' is required: the text the agent receives");
    }
    if (text.length() > ANSWER_MAX_CHARS) {
      throw ApiException.badRequest(
          "field 'answer' has "
              + text.length()
              + " characters; at most "
              + ANSWER_MAX_CHARS
              + " are allowed");
    }
    checkBy(answer.by());
    return answer;
  }

  private static void checkBy(String by) {
    if (by != null && by.length() > BY_MAX_CHARS) {
      throw ApiException.badRequest(
          "field 'by' has " + by.length() + " characters; at most " + BY_MAX_CHARS + " are allowed");
    }
  }

  private static void atLeast(String field, Number value, long min) {
    if (value != null && value.longValue() < min) {
      throw ApiException.badRequest(
          "field '" + field + "' must be at least " + min + ", got " + value);
    }
  }

  private static void patterns(String field, List<String> values) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      String pattern = values.get(i);
      if (pattern == null || pattern.isBlank()) {
        throw ApiException.badRequest(
            "field '" + field + "[" + i + "]' must be a pattern like 'tool' or 'tool:glob'");
      }
      // here rather than when the run is planned, so a policy that does not parse creates no run
      Optional<String> problem = PolicyPattern.problem(pattern);
      if (problem.isPresent()) {
        throw ApiException.badRequest("field '" + field + "[" + i + "]': " + problem.get());
      }
    }
  }
}
