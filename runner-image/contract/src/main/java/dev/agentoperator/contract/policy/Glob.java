package dev.agentoperator.contract.policy;

/**
 * The glob of tool policy patterns: {@code *} matches any run of characters (newlines included),
 * {@code ?} exactly one, everything else itself; a glob matches a whole text. No regular
 * expressions, so no pattern can make matching slow or escape its literal text.
 */
public final class Glob {

  private Glob() {}

  /** Whether {@code glob} matches all of {@code text}. */
  public static boolean matches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = t;
      } else if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (star >= 0) {
        // Let the last star take one more character and try again from there.
        g = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  /**
   * Whether every text {@code narrow} matches is matched by {@code wide}. The narrow glob's {@code
   * *} is covered only by a {@code *} in {@code wide}, its {@code ?} by a {@code ?} or {@code *};
   * so the answer is sound and errs towards false.
   */
  static boolean covers(String wide, String narrow) {
    int w = wide.length();
    int n = narrow.length();
    // covered[i][j]: wide from i covers narrow from j. Filled backwards, O(w * n).
    boolean[][] covered = new boolean[w + 1][n + 1];
    covered[w][n] = true;
    for (int i = w - 1; i >= 0; i--) {
      char c = wide.charAt(i);
      for (int j = n; j >= 0; j--) {
        if (c == '*') {
          covered[i][j] = covered[i + 1][j] || (j < n && covered[i][j + 1]);
        } else if (j < n) {
          char d = narrow.charAt(j);
          boolean one = d == '*' ? false : d == '?' ? c == '?' : c == '?' || c == d;
          covered[i][j] = one && covered[i + 1][j + 1];
        }
      }
    }
    return covered[0][0];
  }
}
