package dev.agentoperator.runner.llm;

import dev.agentoperator.contract.runner.Usage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plays a {@link Cassette}'s turns in order, one per request, so CI and demos run with no model
 * endpoint. A turn's expectation not met, or a request after the last turn, is a {@link
 * ModelException} that says which turn and why.
 */
public final class ReplayChatModel implements ChatModel {

  private final Cassette cassette;
  private final TokenCounter tokens = new TokenCounter();
  private int next;

  public ReplayChatModel(Cassette cassette) {
    this.cassette = cassette;
  }

  @Override
  public synchronized ChatResponse complete(ChatRequest request) {
    if (next >= cassette.turns().size()) {
      throw new ModelException(
          "replay cassette "
              + cassette.name()
              + " has "
              + cassette.turns().size()
              + " turns and the run asked for turn "
              + (next + 1)
              + "; record more turns or shorten the task");
    }
    int number = next + 1;
    Cassette.Turn turn = cassette.turns().get(next++);
    if (turn.expectToolResult() != null) {
      checkExpectation(number, turn.expectToolResult(), request.messages());
    }
    ChatResponse recorded = turn.response();
    Usage usage =
        recorded.usage() != null
            ? recorded.usage()
            : Usage.estimate(tokens.count(request), tokens.count(recorded.message()));
    return new ChatResponse(recorded.message(), recorded.finishReason(), usage);
  }

  /** How many turns were played so far. */
  public synchronized int played() {
    return next;
  }

  private void checkExpectation(int number, String expected, List<ChatMessage> messages) {
    List<String> results =
        messages.stream().filter(m -> m.isRole(ChatMessage.TOOL)).map(ChatMessage::text).toList();
    if (results.stream().noneMatch(r -> r.contains(expected))) {
      String seen =
          results.isEmpty()
              ? "none"
              : results.stream()
                  .map(r -> "'" + abbreviate(r) + "'")
                  .collect(Collectors.joining(", "));
      throw new ModelException(
          "replay cassette "
              + cassette.name()
              + " turn "
              + number
              + " expected a tool result containing '"
              + expected
              + "' but the request's tool results were: "
              + seen);
    }
  }

  private static String abbreviate(String text) {
    String line = text.replace('\n', ' ');
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
