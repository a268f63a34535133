package dev.agentoperator.runner.loop;

import java.util.Collection;
import java.util.List;

/**
 * Replaces known secret values (the model key, the runner token) with {@code <redacted>} in text
 * that leaves the process: tool output, events, the transcript.
 */
public final class Redactor {

  public static final Redactor NONE = new Redactor(List.of());

  // Short values would redact ordinary words; real keys and tokens are long.
  private static final int MIN_SECRET_LENGTH = 8;

  private final List<String> secrets;

  public Redactor(Collection<String> secrets) {
    this.secrets =
        secrets.stream().filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH).toList();
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, "<redacted>");
    }
    return result;
  }
}
