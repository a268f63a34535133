package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.EgressRule;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.SandboxSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fence around the sandbox: only the operator may call the runner; egress is DNS, the model
 * gateway's pods (for a session that uses it), and the session's {@code sandbox.egress}. Only a
 * {@code direct} {@code openai} session also gets the public internet minus the private ranges:
 * a NetworkPolicy names addresses, not hosts, so "the model endpoint" cannot be narrower, and the
 * agent shares the pod's network with the runner.
 */
public final class SandboxNetworkPolicy {

  /** Private and link-local ranges (RFC 1918, RFC 3927: cloud metadata) kept out by default. */
  static final List<String> PRIVATE_RANGES =
      List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");

  private SandboxNetworkPolicy() {}

  /** The NetworkPolicy the session should have. */
  public static NetworkPolicy desired(AgentSession session, OperatorConfig config) {
    return new NetworkPolicyBuilder()
        .withMetadata(
            SessionMetadata.metadata(
                session, SessionNames.networkPolicy(session.getMetadata().getName())))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(SessionMetadata.podSelector(session))
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .addNewIngress()
        // an empty namespaceSelector with a podSelector: the operator's pods in any namespace
        .addNewFrom()
        .withNewNamespaceSelector()
        .endNamespaceSelector()
        .withNewPodSelector()
        .withMatchLabels(config.operatorPodLabels())
        .endPodSelector()
        .endFrom()
        .withPorts(tcp(config.runnerPort()))
        .endIngress()
        .withEgress(egress(session, config))
        .endSpec()
        .build();
  }

  private static List<NetworkPolicyEgressRule> egress(AgentSession session, OperatorConfig config) {
    List<NetworkPolicyEgressRule> rules = new ArrayList<>();
    rules.add(
        new NetworkPolicyEgressRuleBuilder().withPorts(port("UDP", 53), port("TCP", 53)).build());
    if (GatewayTokenSecret.usesGateway(session, config)) {
      rules.add(
          new NetworkPolicyEgressRuleBuilder()
              .addNewTo()
              .withNewNamespaceSelector()
              .endNamespaceSelector()
              .withNewPodSelector()
              .withMatchLabels(config.gatewayPodLabels())
              .endPodSelector()
              .endTo()
              .withPorts(tcp(config.gatewayPort().orElseThrow()))
              .build());
    } else if (session.getSpec().model().provider() == ModelProvider.openai) {
      rules.add(
          new NetworkPolicyEgressRuleBuilder()
              .addNewTo()
              .withNewIpBlock()
              .withCidr("0.0.0.0/0")
              .withExcept(PRIVATE_RANGES)
              .endIpBlock()
              .endTo()
              .build());
    }
    List<EgressRule> extra =
        Optional.ofNullable(session.getSpec().sandbox()).map(SandboxSpec::egress).orElse(List.of());
    for (EgressRule rule : extra) {
      List<NetworkPolicyPort> ports =
          rule.ports() == null
              ? List.of()
              : rule.ports().stream().map(SandboxNetworkPolicy::tcp).toList();
      rules.add(
          new NetworkPolicyEgressRuleBuilder()
              .addNewTo()
              .withNewIpBlock()
              .withCidr(rule.cidr())
              .endIpBlock()
              .endTo()
              .withPorts(ports)
              .build());
    }
    return rules;
  }

  private static NetworkPolicyPort tcp(int port) {
    return port("TCP", port);
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }
}
