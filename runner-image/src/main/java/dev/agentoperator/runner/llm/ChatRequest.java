package dev.agentoperator.runner.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A chat completion request. {@code tools} are the function schemas as sent in the request's {@code
 * tools} array; {@code temperature} and {@code maxOutputTokens} are omitted from the wire when
 * null.
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    List<JsonNode> tools,
    Double temperature,
    Integer maxOutputTokens) {

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }
}
