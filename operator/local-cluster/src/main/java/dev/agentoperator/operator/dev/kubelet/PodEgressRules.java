package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The egress that the NetworkPolicies selecting a pod allow, as iptables rules for the pod's own
 * network namespace: what a CNI with NetworkPolicy support enforces on a real node, and what the
 * podman runtime would otherwise leave open (its bridge NATs to everywhere).
 *
 * <p>Peers translate as follows: an {@code ipBlock} is its CIDR less its exceptions; a peer that
 * selects pods or namespaces is this machine as the pods reach it ({@code hostAddress}), because
 * the only pods a sandbox may talk to in the local cluster (the model gateway) run in this
 * process; a rule without peers allows its ports to anywhere. Anything else is denied, and a TCP
 * connection is reset at once so the agent sees a refusal, not a hang. No policy selecting the
 * pod means no restriction, as in Kubernetes; the caller decides whether that is acceptable.
 */
final class PodEgressRules {

  private PodEgressRules() {}

  /** The policies (of the pod's namespace) whose pod selector matches these labels. */
  static List<NetworkPolicy> selecting(List<NetworkPolicy> policies, Map<String, String> labels) {
    return policies.stream()
        .filter(p -> p.getSpec() != null && matches(p.getSpec().getPodSelector(), labels))
        .filter(p -> p.getSpec().getPolicyTypes() == null
            || p.getSpec().getPolicyTypes().isEmpty()
            || p.getSpec().getPolicyTypes().contains("Egress"))
        .toList();
  }

  /** The {@code iptables-restore} input that allows exactly the policies' egress. */
  static String iptablesRestore(List<NetworkPolicy> policies, String hostAddress) {
    List<String> chains = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    rules.add("-A OUTPUT -o lo -j ACCEPT");
    rules.add("-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
    int peerCount = 0;
    for (NetworkPolicy policy : policies) {
      List<NetworkPolicyEgressRule> egress = Optional.ofNullable(policy.getSpec().getEgress())
          .orElse(List.of());
      for (NetworkPolicyEgressRule rule : egress) {
        List<String> ports = ports(rule.getPorts());
        List<NetworkPolicyPeer> peers = Optional.ofNullable(rule.getTo()).orElse(List.of());
        if (peers.isEmpty()) {
          ports.forEach(port -> rules.add("-A OUTPUT" + port + " -j ACCEPT"));
          continue;
        }
        for (NetworkPolicyPeer peer : peers) {
          String chain = "AGENT-PEER-" + (++peerCount);
          chains.add(":" + chain + " - [0:0]");
          IPBlock block = peer.getIpBlock();
          String destination = block != null ? block.getCidr() : hostAddress + "/32";
          if (block != null && block.getExcept() != null) {
            block.getExcept().forEach(except -> rules.add("-A " + chain + " -d " + except
                + " -j RETURN"));
          }
          rules.add("-A " + chain + " -j ACCEPT");
          ports.forEach(port -> rules.add("-A OUTPUT -d " + destination + port + " -j " + chain));
        }
      }
    }
    rules.add("-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset");
    rules.add("-A OUTPUT -j REJECT --reject-with icmp-admin-prohibited");
    List<String> lines = new ArrayList<>();
    lines.add("*filter");
    lines.add(":INPUT ACCEPT [0:0]");
    lines.add(":FORWARD ACCEPT [0:0]");
    lines.add(":OUTPUT ACCEPT [0:0]");
    lines.addAll(chains);
    lines.addAll(rules);
    lines.add("COMMIT");
    return String.join("\n", lines) + "\n";
  }

  /** iptables match options per allowed port; one empty option for "every port". */
  private static List<String> ports(List<NetworkPolicyPort> ports) {
    if (ports == null || ports.isEmpty()) {
      return List.of("");
    }
    List<String> options = new ArrayList<>();
    for (NetworkPolicyPort port : ports) {
      String protocol = port.getProtocol() == null ? "tcp" : port.getProtocol().toLowerCase();
      if (port.getPort() == null) {
        options.add(" -p " + protocol);
      } else if (port.getPort().getIntVal() != null) {
        String range = port.getEndPort() == null ? "" + port.getPort().getIntVal()
            : port.getPort().getIntVal() + ":" + port.getEndPort();
        options.add(" -p " + protocol + " --dport " + range);
      }
      // a named port names a container port of the peer: not known here, so nothing is allowed
    }
    return options;
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      return false; // the operator's policies use matchLabels only; never guess a wider match
    }
    Map<String, String> wanted = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of());
    return wanted.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
