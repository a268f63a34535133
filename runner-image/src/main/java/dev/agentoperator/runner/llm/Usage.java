package dev.agentoperator.runner.llm;

/**
 * Token use of one or more model calls. {@code estimated} is true when any part was counted locally
 * because the server reported no usage.
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens, boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, false);

  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, inputTokens + outputTokens, false);
  }

  public static Usage estimate(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, inputTokens + outputTokens, true);
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        totalTokens + other.totalTokens,
        estimated || other.estimated);
  }
}
