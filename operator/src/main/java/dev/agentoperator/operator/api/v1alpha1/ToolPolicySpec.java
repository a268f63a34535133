package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Which tools the agent may call. Patterns are {@code tool} or {@code tool:argument-glob}, matched
 * against the tool's main argument (the shell command, the file path, the URL).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ToolPolicySpec(
    @Size(max = 128)
    @JsonPropertyDescription(
        "Patterns of calls that run without asking, e.g. `read_file`, `shell:npm test*`, `*`.")
    List<@Size(min = 1, max = 512) String> allow,
    @Size(max = 128)
    @JsonPropertyDescription(
        "Patterns of calls that pause the run in AwaitingApproval until spec.approvals answers"
            + " them, e.g. `shell:git push*`.")
    List<@Size(min = 1, max = 512) String> ask,
    @Size(max = 128)
    @JsonPropertyDescription(
        "Patterns of calls that are refused. Deny wins over ask, ask over allow; unlisted tools"
            + " are denied.")
    List<@Size(min = 1, max = 512) String> deny) {}
