package dev.agentoperator.runner.api;

/** Shortens client-supplied text before it goes into an error message or a log line. */
final class Abbreviate {

  private Abbreviate() {}

  static String line(String text, int max) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max) + "...";
  }
}
