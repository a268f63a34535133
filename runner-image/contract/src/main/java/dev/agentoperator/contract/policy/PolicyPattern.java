package dev.agentoperator.contract.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One tool policy pattern: {@code tool} (every call of the tool) or {@code tool:argument-glob}
 * (calls whose main argument matches the glob, e.g. {@code shell:git push*}).
 *
 * <p>The tool is a name of letters, digits, {@code _}, {@code -} and {@code .} (at most 64
 * characters, as MCP tools such as {@code mcp__github__create_pull_request} need), optionally with
 * a {@code *} at its start and/or end ({@code mcp__github__*}, {@code *_file}), or {@code *} alone
 * for every tool. Tool names match case-sensitively and in whole.
 *
 * <p>In the argument glob, {@code *} matches any run of characters (slashes, spaces and newlines
 * included) and {@code ?} exactly one; everything else is literal and the glob must match the whole
 * argument, so {@code shell:git status} matches neither {@code git status; rm -rf x} nor {@code git
 * statusx}. {@code [} and {@code ]} are refused: a shell user reads {@code [ab]} as a character
 * class, which this glob does not have, and a pattern that silently matched only its literal text
 * would allow or deny something else than its author meant ({@code ?} matches a bracket).
 *
 * @param tool the tool name or tool glob
 * @param argumentGlob the glob after the first colon, or {@code null} for a bare tool pattern
 */
public record PolicyPattern(String tool, String argumentGlob) {

  static final int MAX_TOOL_LENGTH = 64;
  private static final Pattern TOOL = Pattern.compile("\\*|\\*?[A-Za-z0-9_.-]+\\*?");

  /** Refuses a tool and glob that {@link #parse} would not give, so every instance is valid. */
  public PolicyPattern {
    if (tool == null) {
      throw new IllegalArgumentException("tool policy pattern has no tool name");
    }
    Optional<String> problem = problem(argumentGlob == null ? tool : tool + ":" + argumentGlob);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /** Parses a pattern, throwing {@link IllegalArgumentException} that says what is wrong. */
  public static PolicyPattern parse(String text) {
    Optional<String> problem = problem(text);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    int colon = text.indexOf(':');
    return colon < 0
        ? new PolicyPattern(text, null)
        : new PolicyPattern(text.substring(0, colon), text.substring(colon + 1));
  }

  /** What is wrong with {@code text} as a pattern, or empty when it is one. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.of("tool policy pattern is empty; write `tool` or `tool:argument-glob`");
    }
    if (text.isBlank()) {
      return Optional.of(
          "tool policy pattern '"
              + text
              + "' is only whitespace; write `tool` or `tool:argument-glob`");
    }
    int colon = text.indexOf(':');
    String tool = colon < 0 ? text : text.substring(0, colon);
    if (tool.isEmpty()) {
      return Optional.of("tool policy pattern '" + text + "' has no tool name before ':'");
    }
    if (tool.length() > MAX_TOOL_LENGTH || !TOOL.matcher(tool).matches()) {
      return Optional.of(
          "tool policy pattern '"
              + text
              + "' has an invalid tool name '"
              + tool
              + "' (up to "
              + MAX_TOOL_LENGTH
              + " letters, digits, '_', '-', '.', with an optional '*' at its start or end;"
              + " or '*' alone)");
    }
    if (colon == text.length() - 1) {
      return Optional.of(
          "tool policy pattern '"
              + text
              + "' has an empty argument glob; write '"
              + tool
              + "' to match every call, or add a glob such as '*'");
    }
    for (int i = colon + 1; colon >= 0 && i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[' || c == ']') {
        return Optional.of(
            "tool policy pattern '"
                + text
                + "' has a '"
                + c
                + "' at character "
                + (i + 1)
                + ": the argument glob has no character classes ([...]), so '[' and ']' are not"
                + " allowed; write '?' to match any one character (a bracket too) or '*' for any"
                + " run of characters");
      }
    }
    return Optional.empty();
  }

  /** The pattern as written. */
  public String text() {
    return argumentGlob == null ? tool : tool + ":" + argumentGlob;
  }

  /** Whether a call of {@code toolName} with {@code mainArgument} falls under this pattern. */
  public boolean matches(String toolName, String mainArgument) {
    if (toolName == null || !Glob.matches(tool, toolName)) {
      return false;
    }
    return argumentGlob == null
        || Glob.matches(argumentGlob, mainArgument == null ? "" : mainArgument);
  }

  /**
   * True when every call {@code narrower} matches is also matched by this pattern: the operator's
   * check that a run's policy only narrows its session's. Wildcards in the narrower pattern count
   * as covered only by wildcards here, so the answer errs towards "not covered".
   */
  public boolean covers(PolicyPattern narrower) {
    if (!Glob.covers(tool, narrower.tool)) {
      return false;
    }
    if (argumentGlob == null) {
      return true;
    }
    // A bare tool pattern matches every argument, as the glob `*` does.
    return Glob.covers(argumentGlob, narrower.argumentGlob == null ? "*" : narrower.argumentGlob);
  }

  @Override
  public String toString() {
    return text();
  }
}
