package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Extra egress the sandbox may use, beside DNS, the model endpoint and the public internet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EgressRule(
    @Required
    @Pattern(Patterns.CIDR)
    @JsonPropertyDescription(
        "Destination CIDR (IPv4 or IPv6, with a prefix length), e.g. `10.20.0.0/16` for an"
            + " in-cluster package mirror or `0.0.0.0/0` for the internet.")
    String cidr,
    @Size(max = 32)
    @JsonPropertyDescription("TCP ports allowed to that CIDR. Empty: all ports.")
    List<Integer> ports) {}
