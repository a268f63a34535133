package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * An MCP server whose tools the agent gets as {@code mcp__<name>__<tool>}: a command started in the
 * sandbox container ({@code stdio}) or a Streamable HTTP endpoint the runner calls ({@code http}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.stdio) != has(self.http)",
    message = "an MCP server needs exactly one of stdio and http")
public record McpServer(
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 32)
    @JsonPropertyDescription(
        "The server's name, the middle of its tools' names (mcp__<name>__<tool>) and what policy"
            + " patterns and AgentRun.spec.mcpServers name (lowercase letters, digits, '-'; at most"
            + " 32).")
    String name,
    @JsonPropertyDescription(
        "A command started in the sandbox container, speaking MCP over stdin/stdout. It runs with"
            + " the agent's rights and none of the runner's: whatever it can read, the agent can.")
    McpStdio stdio,
    @JsonPropertyDescription(
        "A Streamable HTTP endpoint the runner connects to, with optional headers from a Secret"
            + " that only the runner container mounts.")
    McpHttp http) {}
