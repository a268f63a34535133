package dev.agentoperator.runner.tools;

/** Shortens text for the model by keeping its head and tail and saying how much was cut. */
public final class OutputLimit {

  private OutputLimit() {}

  /** Returns {@code text} unchanged when it fits in {@code maxChars}, else its head and tail. */
  public static String headAndTail(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int head = maxChars / 2;
    int tail = maxChars - head;
    int cut = text.length() - head - tail;
    return text.substring(0, head)
        + "\n[... "
        + cut
        + " characters cut ...]\n"
        + text.substring(text.length() - tail);
  }

  /** Shortens one line to {@code maxChars}, marking the cut. */
  public static String line(String line, int maxChars) {
    if (line.length() <= maxChars) {
      return line;
    }
    return line.substring(0, maxChars) + " [... " + (line.length() - maxChars) + " characters cut]";
  }
}
