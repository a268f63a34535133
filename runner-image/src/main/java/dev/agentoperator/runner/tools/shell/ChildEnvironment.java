package dev.agentoperator.runner.tools.shell;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment a shell command gets: the runner's own, minus the secrets the runner was told
 * about ({@link dev.agentoperator.runner.tools.ToolContext#secretEnvNames()}) and minus every
 * variable whose name looks like a secret, i.e. contains (case-insensitively) KEY, TOKEN, SECRET,
 * PASSWORD, PASSWD or CREDENTIAL. The second rule errs on the side of removing too much ({@code
 * KEYBOARD_LAYOUT} goes too): a leaked model key costs more than a missing variable.
 */
public final class ChildEnvironment {

  static final List<String> SECRET_MARKERS =
      List.of("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL");

  private ChildEnvironment() {}

  /** Removes secrets from {@code environment} in place (a ProcessBuilder's environment map). */
  public static void scrub(Map<String, String> environment, Set<String> secretNames) {
    Set<String> named = secretNames == null ? Set.of() : secretNames;
    environment.keySet().removeIf(name -> named.contains(name) || looksSecret(name));
  }

  /** Whether a variable name suggests it holds a secret. */
  public static boolean looksSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (String marker : SECRET_MARKERS) {
      if (upper.contains(marker)) {
        return true;
      }
    }
    return false;
  }
}
