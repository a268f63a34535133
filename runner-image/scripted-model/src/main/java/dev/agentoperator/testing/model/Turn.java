package dev.agentoperator.testing.model;

import java.util.List;

/** One scripted model turn: optional text and tool calls. */
public record Turn(String content, List<Call> calls) {

  /** A tool call of a turn; the arguments are a JSON object string. */
  public record Call(String tool, String argumentsJson) {}

  /** A final answer. */
  public static Turn say(String content) {
    return new Turn(content, List.of());
  }

  /** One tool call and no text. */
  public static Turn call(String tool, String argumentsJson) {
    return new Turn(null, List.of(new Call(tool, argumentsJson)));
  }
}
