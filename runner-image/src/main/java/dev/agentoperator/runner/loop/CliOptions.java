package dev.agentoperator.runner.loop;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of a subcommand, with repeatable options collected in order. Unknown
 * options and missing values are {@link IllegalArgumentException}s naming the option.
 */
public final class CliOptions {

  private final Map<String, List<String>> values = new HashMap<>();
  private final Set<String> flags;

  private CliOptions(Set<String> flags) {
    this.flags = flags;
  }

  /**
   * Parses {@code args}; {@code valued} are options that take a value, {@code flags} those that do
   * not.
   */
  public static CliOptions parse(List<String> args, Set<String> valued, Set<String> flags) {
    CliOptions options = new CliOptions(flags);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (flags.contains(name) && value == null) {
        options.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("option " + name + " needs a value");
          }
          value = args.get(++i);
        }
        options.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return options;
  }

  public String get(String name) {
    List<String> list = values.get(name);
    return list == null ? null : list.getLast();
  }

  public String get(String name, String fallback) {
    String value = get(name);
    return value == null ? fallback : value;
  }

  public String required(String name) {
    String value = get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("option " + name + " is required");
    }
    return value;
  }

  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public boolean flag(String name) {
    return flags.contains(name) && values.containsKey(name);
  }

  public Integer integer(String name) {
    String value = get(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + name + " must be a whole number, got '" + value + "'");
    }
  }

  /**
   * A duration as seconds ({@code 90}), with a unit ({@code 90s}, {@code 15m}, {@code 2h}) or
   * ISO-8601.
   */
  public Duration duration(String name) {
    String value = get(name);
    if (value == null) {
      return null;
    }
    try {
      String v = value.trim().toLowerCase();
      if (v.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      if (v.matches("\\d+[smh]")) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      return Duration.parse(value.trim().toUpperCase());
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "option "
              + name
              + " must be a duration such as 90s, 15m, 2h or PT1H, got '"
              + value
              + "'");
    }
  }
}
