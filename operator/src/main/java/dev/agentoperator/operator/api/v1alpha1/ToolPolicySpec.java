package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Which tools the agent may call. Patterns are {@code tool} or {@code tool:argument-glob}, matched
 * against the tool's main argument (the shell command, the file path, the URL).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ToolPolicySpec(
    @Size(max = 128)
    @ValidationRule(value = NO_BRACKETS, message = NO_BRACKETS_MESSAGE)
    @JsonPropertyDescription(
        "Patterns of calls that run without asking, e.g. `read_file`, `shell:npm test*`, `*`.")
    List<@Size(min = 1, max = 512) String> allow,
    @Size(max = 128)
    @ValidationRule(value = NO_BRACKETS, message = NO_BRACKETS_MESSAGE)
    @JsonPropertyDescription(
        "Patterns of calls that pause the run in AwaitingApproval until spec.approvals answers"
            + " them, e.g. `shell:git push*`.")
    List<@Size(min = 1, max = 512) String> ask,
    @Size(max = 128)
    @ValidationRule(value = NO_BRACKETS, message = NO_BRACKETS_MESSAGE)
    @JsonPropertyDescription(
        "Patterns of calls that are refused. Deny wins over ask, ask over allow; unlisted tools"
            + " are denied.")
    List<@Size(min = 1, max = 512) String> deny) {

  // The operator's validation and the runner refuse these too (PolicyPattern.problem); the schema
  // says so at apply time on a real API server.
  static final String NO_BRACKETS = "self.all(p, !p.contains('[') && !p.contains(']'))";
  static final String NO_BRACKETS_MESSAGE =
      "tool policy patterns must not contain '[' or ']': the argument glob has no character"
          + " classes; write '?' to match any one character (a bracket too) or '*' for any run";
}
