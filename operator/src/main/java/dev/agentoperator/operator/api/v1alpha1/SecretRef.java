package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A whole Secret in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretRef(
    @Required
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("Name of the Secret, in the same namespace.")
    String name) {}
