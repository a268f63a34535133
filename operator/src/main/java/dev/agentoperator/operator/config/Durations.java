package dev.agentoperator.operator.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations users write in specs and environment variables: {@code 1h30m}. */
public final class Durations {

  private static final Pattern WHOLE = Pattern.compile("^([0-9]+(ms|s|m|h))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a sequence of number-unit pairs ({@code ms}, {@code s}, {@code m}, {@code h}), e.g.
   * {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 500ms}.
   *
   * @throws IllegalArgumentException with the offending text when it is not such a duration
   */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (expected e.g. 90s, 30m, 1h30m or 500ms)");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  default -> throw new IllegalStateException("unit " + part.group(2));
                });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration too large: '" + text + "'", e);
    }
    return total;
  }
}
