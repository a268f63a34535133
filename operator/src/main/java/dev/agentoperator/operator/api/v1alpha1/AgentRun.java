package dev.agentoperator.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One prompt run to completion by an agent in a session's sandbox. */
@Group(AgentRun.GROUP)
@Version(AgentRun.VERSION)
@ShortNames("arun")
@AdditionalPrinterColumn(
    name = "Tokens",
    jsonPath = ".status.usage.totalTokens",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AgentRun extends CustomResource<AgentRunSpec, AgentRunStatus> implements Namespaced {
  public static final String GROUP = "agentoperator.dev";
  public static final String VERSION = "v1alpha1";
}
