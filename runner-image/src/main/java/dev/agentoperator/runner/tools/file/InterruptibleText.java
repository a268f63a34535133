package dev.agentoperator.runner.tools.file;

/**
 * A line that aborts regex matching when the thread is interrupted. Java's regex engine cannot be
 * cancelled, and a pattern with catastrophic backtracking can run for hours on one line; checking
 * the interrupt flag on every character read lets cancellation stop even that.
 */
final class InterruptibleText implements CharSequence {

  /** Thrown out of the regex engine when the search was cancelled. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("search cancelled", null, false, false);
    }
  }

  private final String text;

  InterruptibleText(String text) {
    this.text = text;
  }

  @Override
  public char charAt(int index) {
    if (Thread.currentThread().isInterrupted()) {
      throw new Cancelled();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new InterruptibleText(text.substring(start, end));
  }

  @Override
  public String toString() {
    return text;
  }
}
