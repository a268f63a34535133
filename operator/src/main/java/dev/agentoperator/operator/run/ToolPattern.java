package dev.agentoperator.operator.run;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tool policy pattern, {@code tool} or {@code tool:argument-glob}, and the question the operator
 * asks of two of them: does one cover every call the other matches?
 */
public record ToolPattern(String tool, String argumentGlob) {

  private static final Pattern TOOL = Pattern.compile("^(\\*|[A-Za-z_][A-Za-z0-9_.-]{0,63})$");

  /** Parses {@code text}, or explains what is wrong with it. */
  public static ParseResult parse(String text) {
    if (text == null || text.isBlank()) {
      return new ParseResult(null, "an empty pattern; write `tool` or `tool:argument-glob`");
    }
    int colon = text.indexOf(':');
    String tool = colon < 0 ? text : text.substring(0, colon);
    String glob = colon < 0 ? null : text.substring(colon + 1);
    if (!TOOL.matcher(tool).matches()) {
      return new ParseResult(
          null,
          "'" + text + "' does not start with a tool name (letters, digits, `_`, `-`, `.`) or `*`");
    }
    if (glob != null && glob.isEmpty()) {
      return new ParseResult(
          null,
          "'" + text + "' has an empty argument glob; drop the `:` or add a glob such as `*`");
    }
    return new ParseResult(new ToolPattern(tool, glob), null);
  }

  /** Either a pattern or the reason the text is not one. */
  public record ParseResult(ToolPattern pattern, String problem) {
    public Optional<ToolPattern> asOptional() {
      return Optional.ofNullable(pattern);
    }
  }

  /**
   * True when every call {@code narrower} matches is also matched by this pattern. Wildcards in the
   * narrower pattern count as covered only by a {@code *} here, so the answer errs towards "not
   * covered".
   */
  public boolean covers(ToolPattern narrower) {
    if (!covers(tool, narrower.tool)) {
      return false;
    }
    if (argumentGlob == null) {
      return true;
    }
    return narrower.argumentGlob != null && covers(argumentGlob, narrower.argumentGlob);
  }

  /** Glob {@code wide} matches the text of glob {@code narrow}, its wildcards only by {@code *}. */
  static boolean covers(String wide, String narrow) {
    return match(wide, 0, narrow, 0);
  }

  private static boolean match(String wide, int w, String narrow, int n) {
    if (w == wide.length()) {
      return n == narrow.length();
    }
    char c = wide.charAt(w);
    if (c == '*') {
      for (int k = n; k <= narrow.length(); k++) {
        if (match(wide, w + 1, narrow, k)) {
          return true;
        }
      }
      return false;
    }
    if (n == narrow.length()) {
      return false;
    }
    char d = narrow.charAt(n);
    if (d == '*' || d == '?') {
      return false;
    }
    if (c == '?' || c == d) {
      return match(wide, w + 1, narrow, n + 1);
    }
    return false;
  }

  @Override
  public String toString() {
    return argumentGlob == null ? tool : tool + ":" + argumentGlob;
  }
}
