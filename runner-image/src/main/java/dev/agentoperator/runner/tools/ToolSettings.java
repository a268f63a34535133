package dev.agentoperator.runner.tools;

import java.time.Duration;

/**
 * Caps and timeouts of the standard tools. Every cap bounds what one call can put into the model's
 * context or take from the machine; {@link #defaults()} documents the values the runner uses.
 *
 * @param shellDefaultTimeout how long a shell command may run when the model names no timeout
 * @param shellMaxTimeout the longest timeout the model may ask for (longer requests are lowered)
 * @param shellOutputCapBytes the most shell output kept (head and tail, the middle is cut)
 * @param shellOutputGrace how long to wait for the output to close after the command exited before
 *     stopping background processes that still hold it open
 * @param readMaxLines the lines read_file returns when the model names no limit, and the most
 * @param readMaxLineChars the longest line read_file or grep shows before shortening it
 * @param resultCapChars the most characters any tool result may have (a last safety net)
 * @param grepMaxMatches the most matching lines grep returns
 * @param globMaxResults the most paths glob returns
 * @param listDirMaxEntries the most entries list_dir returns
 * @param fetchMaxBytes the most bytes web_fetch downloads
 * @param fetchTimeout the longest a whole web_fetch call may take
 */
public record ToolSettings(
    Duration shellDefaultTimeout,
    Duration shellMaxTimeout,
    int shellOutputCapBytes,
    Duration shellOutputGrace,
    int readMaxLines,
    int readMaxLineChars,
    int resultCapChars,
    int grepMaxMatches,
    int globMaxResults,
    int listDirMaxEntries,
    long fetchMaxBytes,
    Duration fetchTimeout) {

  public ToolSettings {
    requirePositive("shellDefaultTimeout", shellDefaultTimeout);
    requirePositive("shellMaxTimeout", shellMaxTimeout);
    requirePositive("shellOutputGrace", shellOutputGrace);
    requirePositive("fetchTimeout", fetchTimeout);
    if (shellDefaultTimeout.compareTo(shellMaxTimeout) > 0) {
      throw new IllegalArgumentException(
          "shellDefaultTimeout "
              + shellDefaultTimeout
              + " exceeds shellMaxTimeout "
              + shellMaxTimeout);
    }
    requirePositive("shellOutputCapBytes", shellOutputCapBytes);
    requirePositive("readMaxLines", readMaxLines);
    requirePositive("readMaxLineChars", readMaxLineChars);
    requirePositive("resultCapChars", resultCapChars);
    requirePositive("grepMaxMatches", grepMaxMatches);
    requirePositive("globMaxResults", globMaxResults);
    requirePositive("listDirMaxEntries", listDirMaxEntries);
    requirePositive("fetchMaxBytes", fetchMaxBytes);
  }

  /**
   * The runner's defaults: shell 120 s (at most 600 s), 30 000 bytes of shell output, 2 s output
   * grace, 2000 lines of 2000 characters per read, 100 000 characters per result, 200 grep matches,
   * 500 glob results, 1000 directory entries, 5 MiB and 30 s per fetch.
   */
  public static ToolSettings defaults() {
    return new ToolSettings(
        Duration.ofSeconds(120),
        Duration.ofSeconds(600),
        30_000,
        Duration.ofSeconds(2),
        2000,
        2000,
        100_000,
        200,
        500,
        1000,
        5L * 1024 * 1024,
        Duration.ofSeconds(30));
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
