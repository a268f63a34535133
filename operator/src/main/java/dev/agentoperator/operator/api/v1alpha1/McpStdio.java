package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** An MCP server started in the sandbox container; its stdin and stdout carry JSON-RPC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record McpStdio(
    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription(
        "The program, found on the sandbox image's PATH or as an absolute path; its working"
            + " directory is the workspace.")
    String command,
    @Size(max = 64) @JsonPropertyDescription("Its arguments.") List<String> args,
    @JsonPropertyDescription(
        "Extra environment variables (plain values: the agent can read them, so no secrets).")
    Map<String, String> env) {}
