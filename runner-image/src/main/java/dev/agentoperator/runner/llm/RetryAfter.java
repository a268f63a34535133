package dev.agentoperator.runner.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parses a {@code Retry-After} header: delay seconds or an HTTP date. */
final class RetryAfter {

  private RetryAfter() {}

  static Optional<Duration> parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    try {
      double seconds = Double.parseDouble(value);
      return seconds < 0
          ? Optional.empty()
          : Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration delay = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
