package dev.agentoperator.runner.policy;

import java.util.regex.Pattern;

/**
 * One tool policy pattern: {@code tool} (every call of the tool) or {@code tool:argument-glob}
 * (calls whose main argument matches the glob, e.g. {@code shell:git push*}). The tool is a name of
 * lower-case letters and underscores, or {@code *} for every tool. In the glob, {@code *} matches
 * any run of characters (slashes and spaces included) and {@code ?} exactly one; everything else is
 * literal and the glob must match the whole argument.
 *
 * @param text the pattern as written
 * @param tool the tool name, or {@code *}
 * @param argumentGlob the glob after the colon, or {@code null} for a bare tool pattern
 * @param argumentRegex the glob compiled to a whole-match regex, or {@code null}
 */
public record PolicyPattern(String text, String tool, String argumentGlob, Pattern argumentRegex) {

  private static final Pattern TOOL_NAME = Pattern.compile("[a-z_]+|\\*");

  /** Parses a pattern, throwing {@link IllegalArgumentException} that says what is wrong. */
  public static PolicyPattern parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("tool policy pattern is empty");
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("tool policy pattern '" + text + "' is only whitespace");
    }
    int colon = text.indexOf(':');
    String tool = colon < 0 ? text : text.substring(0, colon);
    if (tool.isEmpty()) {
      throw new IllegalArgumentException(
          "tool policy pattern '" + text + "' has no tool name before ':'");
    }
    if (!TOOL_NAME.matcher(tool).matches()) {
      throw new IllegalArgumentException(
          "tool policy pattern '"
              + text
              + "' has an invalid tool name '"
              + tool
              + "' (lower-case letters and '_', or '*')");
    }
    if (colon < 0) {
      return new PolicyPattern(text, tool, null, null);
    }
    String glob = text.substring(colon + 1);
    if (glob.isEmpty()) {
      throw new IllegalArgumentException(
          "tool policy pattern '"
              + text
              + "' has an empty argument glob; write '"
              + tool
              + "' to match every call");
    }
    return new PolicyPattern(text, tool, glob, toRegex(glob));
  }

  /** Whether a call of {@code toolName} with {@code mainArgument} falls under this pattern. */
  public boolean matches(String toolName, String mainArgument) {
    if (!tool.equals("*") && !tool.equals(toolName)) {
      return false;
    }
    return argumentRegex == null
        || argumentRegex.matcher(mainArgument == null ? "" : mainArgument).matches();
  }

  private static Pattern toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  @Override
  public String toString() {
    return text;
  }
}
