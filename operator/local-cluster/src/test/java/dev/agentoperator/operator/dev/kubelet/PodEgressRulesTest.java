package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.session.SandboxNetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodEgressRulesTest {

  private static final String HOST = "10.88.0.1";

  @Test
  void shouldAllowOnlyDnsAndTheGatewayForAGatewaySessionAndRejectTheRest() {
    NetworkPolicy policy = SandboxNetworkPolicy.desired(session(null),
        OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_GATEWAY_URL", "http://gw:8090")));

    String rules = PodEgressRules.iptablesRestore(List.of(policy), HOST);

    assertThat(rules)
        .contains("-A OUTPUT -o lo -j ACCEPT")
        .contains("-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
        .contains("-A OUTPUT -p udp --dport 53 -j ACCEPT")
        .contains("-A OUTPUT -p tcp --dport 53 -j ACCEPT")
        .contains("-A OUTPUT -d 10.88.0.1/32 -p tcp --dport 8090 -j AGENT-PEER-1")
        .doesNotContain("0.0.0.0/0");
    assertThat(rules.lines().filter(l -> l.startsWith("-A OUTPUT")).reduce((a, b) -> b))
        .as("everything else is refused last").hasValue("-A OUTPUT -j REJECT --reject-with"
            + " icmp-admin-prohibited");
  }

  @Test
  void shouldKeepAnIpBlocksExceptionsOut() {
    NetworkPolicy policy = Serialization.unmarshal("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: p}
        spec:
          podSelector: {matchLabels: {app: a}}
          policyTypes: [Egress]
          egress:
          - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
            ports: [{protocol: TCP, port: 443}]
        """, NetworkPolicy.class);

    String rules = PodEgressRules.iptablesRestore(List.of(policy), HOST);

    assertThat(rules).contains(":AGENT-PEER-1 - [0:0]",
        "-A AGENT-PEER-1 -d 10.0.0.0/8 -j RETURN", "-A AGENT-PEER-1 -j ACCEPT",
        "-A OUTPUT -d 0.0.0.0/0 -p tcp --dport 443 -j AGENT-PEER-1");
  }

  @Test
  void shouldSelectOnlyThePoliciesWhoseLabelsTheyMatch() {
    NetworkPolicy mine = policySelecting(Map.of("agentoperator.dev/session", "s"));
    NetworkPolicy other = policySelecting(Map.of("agentoperator.dev/session", "t"));

    assertThat(PodEgressRules.selecting(List.of(mine, other),
        Map.of("agentoperator.dev/session", "s", "x", "y"))).containsExactly(mine);
  }

  private static NetworkPolicy policySelecting(Map<String, String> labels) {
    return new NetworkPolicyBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewSpec().withNewPodSelector().withMatchLabels(labels).endPodSelector()
        .withPolicyTypes("Egress").endSpec().build();
  }

  private static AgentSession session(Object unused) {
    return Serialization.unmarshal("""
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentSession
        metadata: {name: s, namespace: default, uid: u}
        spec:
          model: {provider: openai, name: m}
        """, AgentSession.class);
  }
}
