package dev.agentoperator.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A sandbox pod with a persistent workspace in which runs execute one at a time. */
@Group(AgentRun.GROUP)
@Version(AgentRun.VERSION)
@ShortNames("asess")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AgentSession extends CustomResource<AgentSessionSpec, AgentSessionStatus>
    implements Namespaced {}
