package dev.agentoperator.contract.runner;

/**
 * Token use of one or more model calls ({@code Usage} in the runner API). {@code estimated} is
 * true when any part was counted locally because the server reported no usage.
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens, boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, false);

  /** Usage the server reported. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, inputTokens + outputTokens, false);
  }

  /** Usage counted locally. */
  public static Usage estimate(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, inputTokens + outputTokens, true);
  }

  /** Both together; estimated when either was. */
  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        totalTokens + other.totalTokens,
        estimated || other.estimated);
  }
}
