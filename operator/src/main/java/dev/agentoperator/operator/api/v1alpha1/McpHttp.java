package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An MCP server the runner reaches over Streamable HTTP. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record McpHttp(
    @Required
    @Pattern("^https?://.+")
    @Size(max = 2048)
    @JsonPropertyDescription("The server's MCP endpoint, e.g. https://mcp.example.com/mcp.")
    String url,
    @JsonPropertyDescription(
        "A Secret whose keys are header names and values header values (e.g. Authorization),"
            + " sent with every request; mounted in the runner container only, never in the"
            + " sandbox.")
    SecretRef headersSecretRef) {}
