package dev.agentoperator.contract.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tool calls a run may make: {@code allow}, {@code ask} (needs a person's approval) and
 * {@code deny} pattern lists. Deny wins, then ask, then allow; a call no pattern covers is denied,
 * so an empty policy denies every call. There is deliberately no "allow everything" shortcut: a
 * policy that allows every tool says so with the pattern {@code *}.
 */
public final class ToolPolicy {

  private final List<PolicyPattern> allow;
  private final List<PolicyPattern> ask;
  private final List<PolicyPattern> deny;

  private ToolPolicy(List<PolicyPattern> allow, List<PolicyPattern> ask, List<PolicyPattern> deny) {
    this.allow = allow;
    this.ask = ask;
    this.deny = deny;
  }

  /**
   * A policy from pattern lists ({@code null} counts as empty). Throws {@link
   * IllegalArgumentException} naming the list, position and text of the first bad pattern.
   */
  public static ToolPolicy of(List<String> allow, List<String> ask, List<String> deny) {
    return new ToolPolicy(parse("allow", allow), parse("ask", ask), parse("deny", deny));
  }

  /** Decides one call; {@code mainArgument} is what {@code tool:glob} patterns match. */
  public PolicyDecision decide(String tool, String mainArgument) {
    String argument = mainArgument == null ? "" : mainArgument;
    Optional<PolicyPattern> denied = firstMatch(deny, tool, argument);
    if (denied.isPresent()) {
      return new PolicyDecision(
          Verdict.DENY,
          denied.get().text(),
          "the tool policy denies "
              + describe(tool, argument)
              + " (pattern '"
              + denied.get().text()
              + "'); do not retry it, find another way or ask the user");
    }
    Optional<PolicyPattern> asked = firstMatch(ask, tool, argument);
    if (asked.isPresent()) {
      return new PolicyDecision(
          Verdict.ASK,
          asked.get().text(),
          describe(tool, argument)
              + " needs a person's approval under the tool policy (pattern '"
              + asked.get().text()
              + "')");
    }
    Optional<PolicyPattern> allowed = firstMatch(allow, tool, argument);
    if (allowed.isPresent()) {
      return new PolicyDecision(
          Verdict.ALLOW,
          allowed.get().text(),
          describe(tool, argument) + " is allowed by pattern '" + allowed.get().text() + "'");
    }
    return new PolicyDecision(
        Verdict.DENY,
        null,
        "the tool policy does not allow "
            + describe(tool, argument)
            + ": no allow or ask pattern covers it; ask the user to change the policy or use "
            + usableTools());
  }

  private static Optional<PolicyPattern> firstMatch(
      List<PolicyPattern> patterns, String tool, String argument) {
    return patterns.stream().filter(pattern -> pattern.matches(tool, argument)).findFirst();
  }

  private String usableTools() {
    Set<String> tools = new TreeSet<>();
    for (PolicyPattern pattern : allow) {
      tools.add(pattern.text());
    }
    for (PolicyPattern pattern : ask) {
      tools.add(pattern.text() + " (with approval)");
    }
    return tools.isEmpty()
        ? "no tools (none are allowed)"
        : "what it allows: " + String.join(", ", tools);
  }

  private static String describe(String tool, String argument) {
    if (argument.isEmpty()) {
      return tool;
    }
    String shown = argument.length() > 200 ? argument.substring(0, 200) + "..." : argument;
    return tool + " `" + shown + "`";
  }

  private static List<PolicyPattern> parse(String list, List<String> patterns) {
    if (patterns == null) {
      return List.of();
    }
    List<PolicyPattern> parsed = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      try {
        parsed.add(PolicyPattern.parse(patterns.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(list + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return List.copyOf(parsed);
  }

  @Override
  public String toString() {
    return "ToolPolicy[allow=" + allow + ", ask=" + ask + ", deny=" + deny + "]";
  }
}
