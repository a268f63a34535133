package dev.agentoperator.runner.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /v1/runs/{uid}} ({@code RunRequest} in {@code spec/runner-api.yaml}).
 * Absent fields are null: the runner's defaults apply, except for {@code tools}, which is required
 * (the runner never guesses a tool policy).
 */
public record RunRequest(
    String prompt,
    String runName,
    String systemPrompt,
    ModelOverrides model,
    Limits limits,
    ToolPolicyRules tools,
    String restoreSnapshot,
    Boolean resume,
    List<String> mcpServers) {

  static final int MAX_PROMPT_CHARS = 65_536;
  static final String NO_POLICY =
      "the run request carries no tool policy (field 'tools'); the operator always sends one,"
          + " and an empty policy ({}) denies every tool";
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");

  /**
   * A request without the MCP narrowing (every MCP server of the session), as before that field
   * existed.
   */
  public RunRequest(
      String prompt,
      String runName,
      String systemPrompt,
      ModelOverrides model,
      Limits limits,
      ToolPolicyRules tools,
      String restoreSnapshot,
      Boolean resume) {
    this(prompt, runName, systemPrompt, model, limits, tools, restoreSnapshot, resume, null);
  }

  /** Model settings a run may change; never keys or endpoints. */
  public record ModelOverrides(
      String name, Double temperature, Integer maxOutputTokens, Integer contextWindow) {}

  /** Run limits; {@code timeoutSeconds} is whole seconds. */
  public record Limits(
      Integer maxSteps, Long maxTokens, Long timeoutSeconds, Integer maxToolCalls) {}

  /** Tool policy patterns {@code tool} or {@code tool:argument-glob}. */
  public record ToolPolicyRules(List<String> allow, List<String> ask, List<String> deny) {}

  public boolean resumeRequested() {
    return Boolean.TRUE.equals(resume);
  }

  /** Checks the ranges the schema states, or throws a 400 naming the field. */
  public RunRequest validated() {
    if (prompt == null || prompt.isBlank()) {
      throw ApiException.badRequest("field 'prompt' is required and must not be blank");
    }
    if (prompt.length() > MAX_PROMPT_CHARS) {
      throw ApiException.badRequest(
          "field 'prompt' has "
              + prompt.length()
              + " characters; at most "
              + MAX_PROMPT_CHARS
              + " are allowed");
    }
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
      atLeast("model.contextWindow", model.contextWindow(), 512);
    }
    if (limits != null) {
      atLeast("limits.maxSteps", limits.maxSteps(), 1);
      atLeast("limits.maxTokens", limits.maxTokens(), 1);
      atLeast("limits.timeoutSeconds", limits.timeoutSeconds(), 1);
      atLeast("limits.maxToolCalls", limits.maxToolCalls(), 1);
    }
    if (tools != null) {
      patterns("tools.allow", tools.allow());
      patterns("tools.ask", tools.ask());
      patterns("tools.deny", tools.deny());
    }
    if (restoreSnapshot != null && !COMMIT.matcher(restoreSnapshot).matches()) {
      throw ApiException.badRequest(
          "field 'restoreSnapshot' must be a commit id of 7 to 40 lower-case hex digits, got '"
              + Abbreviate.line(restoreSnapshot, 60)
              + "'");
    }
    // Last, so a request with other mistakes still hears about those first.
    if (tools == null) {
      throw ApiException.badRequest(NO_POLICY);
    }
    return this;
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
    }
  }
}
