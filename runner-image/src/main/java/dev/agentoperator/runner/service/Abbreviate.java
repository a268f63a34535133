package dev.agentoperator.runner.service;

/** Shortens client-supplied text before it goes into an error message or a log line. */
public final class Abbreviate {

  private Abbreviate() {}

  public static String line(String text, int max) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max) + "...";
  }
}
