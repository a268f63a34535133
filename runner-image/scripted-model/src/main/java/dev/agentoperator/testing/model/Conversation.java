package dev.agentoperator.testing.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What a recorded chat completion request says about the conversation it carries. */
public final class Conversation {

  private Conversation() {}

  /**
   * The number of assistant messages already in the request: a deterministic model's turn is this
   * plus one, so a resumed run (a new runner process) is answered where the old one left off.
   */
  public static int assistantTurns(JsonNode request) {
    int turns = 0;
    for (JsonNode message : request.path("messages")) {
      if ("assistant".equals(message.path("role").asText())) {
        turns++;
      }
    }
    return turns;
  }

  /** The first user message (the run's task), or {@code ""}. */
  public static String task(JsonNode request) {
    for (JsonNode message : request.path("messages")) {
      if ("user".equals(message.path("role").asText())) {
        return message.path("content").asText("");
      }
    }
    return "";
  }

  /** The content of every {@code tool} message of the request: the tool results the model saw. */
  public static List<String> toolMessages(JsonNode request) {
    List<String> contents = new ArrayList<>();
    for (JsonNode message : request.path("messages")) {
      if ("tool".equals(message.path("role").asText())) {
        contents.add(message.path("content").asText());
      }
    }
    return contents;
  }
}
