package dev.agentoperator.runner.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Builds one assistant message from streamed chunks: text deltas are concatenated, tool-call deltas
 * are merged by their {@code index} (id and name arrive once, arguments in pieces), the last
 * non-null finish reason and the usage chunk are kept. Reasoning deltas are ignored.
 */
final class StreamAssembler {

  private final StringBuilder content = new StringBuilder();
  private final TreeMap<Integer, PartialCall> calls = new TreeMap<>();
  private boolean sawContent;
  private String finishReason;
  private Usage usage;

  void accept(JsonNode chunk) {
    Usage chunkUsage = WireFormat.usage(chunk.get("usage"));
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      JsonNode text = delta.get("content");
      if (text != null && !text.isNull()) {
        content.append(text.asText());
        sawContent = true;
      }
      int position = 0;
      for (JsonNode callDelta : delta.path("tool_calls")) {
        int index = callDelta.has("index") ? callDelta.get("index").asInt() : position;
        calls.computeIfAbsent(index, i -> new PartialCall()).merge(callDelta);
        position++;
      }
      JsonNode legacy = delta.get("function_call");
      if (legacy != null && legacy.isObject()) {
        calls.computeIfAbsent(0, i -> new PartialCall()).mergeFunction(legacy);
      }
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && !finish.isNull()) {
        finishReason = finish.asText();
      }
    }
  }

  ChatMessage message() {
    List<ToolCall> toolCalls = new ArrayList<>();
    calls.values().forEach(call -> toolCalls.add(call.toToolCall()));
    return ChatMessage.assistant(sawContent ? content.toString() : null, toolCalls);
  }

  String finishReason() {
    return finishReason;
  }

  /** The usage the server streamed, or null when it sent none. */
  Usage usage() {
    return usage;
  }

  private static final class PartialCall {
    private String id;
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();

    void merge(JsonNode delta) {
      JsonNode idNode = delta.get("id");
      if (idNode != null && !idNode.isNull() && !idNode.asText().isEmpty()) {
        id = idNode.asText();
      }
      mergeFunction(delta.path("function"));
    }

    void mergeFunction(JsonNode function) {
      JsonNode nameNode = function.get("name");
      if (nameNode != null && !nameNode.isNull()) {
        name.append(nameNode.asText());
      }
      JsonNode args = function.get("arguments");
      if (args != null && !args.isNull()) {
        arguments.append(args.isTextual() ? args.asText() : args.toString());
      }
    }

    ToolCall toToolCall() {
      return new ToolCall(id, name.toString(), arguments.toString());
    }
  }
}
