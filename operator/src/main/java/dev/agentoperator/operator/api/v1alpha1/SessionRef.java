package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The AgentSession, in the same namespace, whose sandbox runs this run. */
public record SessionRef(
    @Required
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("Name of the AgentSession.")
    String name) {}
