package dev.agentoperator.operator.session;

import dev.agentoperator.contract.policy.PolicyPattern;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.EgressRule;
import dev.agentoperator.operator.api.v1alpha1.McpServer;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import dev.agentoperator.operator.config.Durations;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks what the CRD schema cannot express of a session spec, before anything is built from it:
 * resource quantities (a bad one used to throw inside JOSDK and crash-loop the reconciler),
 * requests above limits, IPv6 CIDRs, durations and tool patterns. Each problem is a sentence that
 * names the field and says what to write instead.
 */
public final class SessionValidator {

  /** The Kubernetes quantity syntax, as controller-gen emits it for {@code resource.Quantity}. */
  private static final Pattern QUANTITY =
      Pattern.compile(
          "^\\+?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]"
              + "|([eE][+-]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");

  private static final Pattern IPV6_LITERAL = Pattern.compile("^[0-9a-fA-F:.]+$");

  private SessionValidator() {}

  /** The problems of {@code spec}, fields named from {@code spec.}; empty when it can be used. */
  public static List<String> problems(AgentSessionSpec spec) {
    return problems(spec, "spec.");
  }

  /** The problems of {@code spec}, each field named with {@code prefix}. */
  public static List<String> problems(AgentSessionSpec spec, String prefix) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add(prefix + "model is required; name the model the agent talks to");
      return problems;
    }
    if (spec.sandbox() != null) {
      checkResources(spec.sandbox().resources(), prefix + "sandbox.resources.", problems);
      List<EgressRule> egress = spec.sandbox().egress();
      for (int i = 0; egress != null && i < egress.size(); i++) {
        checkCidr(egress.get(i).cidr(), prefix + "sandbox.egress[" + i + "].cidr", problems);
      }
    }
    if (spec.workspace() != null && spec.workspace().size() != null) {
      quantityProblem(spec.workspace().size())
          .ifPresent(
              p -> problems.add(prefix + "workspace.size: " + p + "; write e.g. 5Gi or 500Mi"));
    }
    checkDuration(spec.idleTimeout(), prefix + "idleTimeout", problems);
    checkPolicy(spec.tools(), prefix + "tools", problems);
    checkMcpServers(spec.mcpServers(), prefix + "mcpServers", problems);
    return problems;
  }

  /**
   * What the CRD's CEL rules say about MCP servers, for objects that did not come through the API
   * server (the local cluster's files, tests): one transport each, unique names.
   */
  private static void checkMcpServers(
      List<McpServer> servers, String field, List<String> problems) {
    Set<String> names = new HashSet<>();
    for (int i = 0; servers != null && i < servers.size(); i++) {
      McpServer server = servers.get(i);
      String where = field + "[" + i + "]";
      if ((server.stdio() == null) == (server.http() == null)) {
        problems.add(where + " needs exactly one of stdio and http");
      }
      if (server.name() != null && !names.add(server.name())) {
        problems.add(where + ".name '" + cut(server.name()) + "' is used twice; names must be unique");
      }
    }
  }

  /** A duration that parses and is longer than zero, when set. */
  public static void checkDuration(String text, String field, List<String> problems) {
    if (text == null) {
      return;
    }
    try {
      if (Durations.parse(text).isZero()) {
        problems.add(field + " must be longer than zero, e.g. 30m or 1h30m");
      }
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }

  /** Every pattern of {@code policy} parses in the tool-policy language. */
  public static void checkPolicy(ToolPolicySpec policy, String field, List<String> problems) {
    if (policy == null) {
      return;
    }
    checkPatterns(field + ".allow", policy.allow(), problems);
    checkPatterns(field + ".ask", policy.ask(), problems);
    checkPatterns(field + ".deny", policy.deny(), problems);
  }

  private static void checkPatterns(String field, List<String> patterns, List<String> problems) {
    for (int i = 0; patterns != null && i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      Optional<String> problem =
          pattern == null || pattern.isBlank()
              ? Optional.of("a pattern must not be empty; write a tool name such as read_file")
              : PolicyPattern.problem(pattern);
      int index = i;
      problem.ifPresent(p -> problems.add(field + "[" + index + "]: " + p));
    }
  }

  private static void checkResources(
      ResourceRequirements resources, String field, List<String> problems) {
    if (resources == null) {
      return;
    }
    Map<String, BigDecimal> limits = amounts(resources.getLimits(), field + "limits.", problems);
    Map<String, BigDecimal> requests =
        amounts(resources.getRequests(), field + "requests.", problems);
    requests.forEach(
        (name, requested) -> {
          BigDecimal limit = limits.get(name);
          if (limit != null && requested.compareTo(limit) > 0) {
            problems.add(
                field
                    + "requests."
                    + name
                    + " ("
                    + resources.getRequests().get(name)
                    + ") is above limits."
                    + name
                    + " ("
                    + resources.getLimits().get(name)
                    + "); Kubernetes refuses such a pod: lower the request or raise the limit");
          }
        });
  }

  /** The parsed amounts of a quantity map; an unparsable entry is a problem and left out. */
  private static Map<String, BigDecimal> amounts(
      Map<String, Quantity> quantities, String field, List<String> problems) {
    Map<String, BigDecimal> amounts = new TreeMap<>();
    if (quantities == null) {
      return amounts;
    }
    new TreeMap<>(quantities)
        .forEach(
            (name, quantity) -> {
              String text = quantity == null ? null : quantity.toString();
              Optional<String> problem = quantityProblem(text);
              if (problem.isPresent()) {
                problems.add(
                    field
                        + name
                        + ": "
                        + problem.get()
                        + "; write e.g. 500m or 2 for cpu, 512Mi or 1Gi for memory");
              } else {
                amounts.put(name, Quantity.getAmountInBytes(quantity));
              }
            });
    return amounts;
  }

  /** Why {@code text} is not a usable (non-negative) Kubernetes quantity, if it is not. */
  static Optional<String> quantityProblem(String text) {
    String shown = "'" + (text == null ? "" : cut(text)) + "'";
    if (text == null || !QUANTITY.matcher(text).matches()) {
      return Optional.of(shown + " is not a Kubernetes quantity");
    }
    try {
      Quantity.getAmountInBytes(new Quantity(text));
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(shown + " is not a Kubernetes quantity");
    }
  }

  private static void checkCidr(String cidr, String field, List<String> problems) {
    if (cidr == null) {
      return;
    }
    String hint =
        "; write an address and a prefix length, e.g. 10.20.0.0/16 or fd00:10::/64";
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      problems.add(field + " '" + cut(cidr) + "' has no prefix length" + hint);
      return;
    }
    String address = cidr.substring(0, slash);
    boolean ipv6 = address.contains(":");
    try {
      int prefix = Integer.parseInt(cidr.substring(slash + 1));
      boolean valid =
          prefix >= 0 && prefix <= (ipv6 ? 128 : 32) && (ipv6 ? isIpv6(address) : isIpv4(address));
      if (!valid) {
        problems.add(field + " '" + cut(cidr) + "' is not a CIDR" + hint);
      }
    } catch (NumberFormatException e) {
      problems.add(field + " '" + cut(cidr) + "' is not a CIDR" + hint);
    }
  }

  private static boolean isIpv4(String address) {
    String[] octets = address.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Parsed by the JDK: text with a colon is taken as an IPv6 literal, never looked up in DNS. */
  private static boolean isIpv6(String address) {
    if (!IPV6_LITERAL.matcher(address).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String cut(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
