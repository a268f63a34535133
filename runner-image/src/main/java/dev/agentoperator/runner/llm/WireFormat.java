package dev.agentoperator.runner.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI chat-completions JSON shape of messages and requests, shared by the HTTP client, the
 * transcript and the cassettes. Reading is lenient: unknown fields are ignored, missing ones
 * default.
 */
public final class WireFormat {

  public static final ObjectMapper JSON = new ObjectMapper();

  private WireFormat() {}

  public static ObjectNode message(ChatMessage message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("role", message.role());
    if (message.content() != null || !message.hasToolCalls()) {
      node.put("content", message.text());
    } else {
      node.putNull("content");
    }
    if (message.hasToolCalls()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall call : message.toolCalls()) {
        ObjectNode callNode = calls.addObject();
        callNode.put("id", call.id());
        callNode.put("type", "function");
        ObjectNode function = callNode.putObject("function");
        function.put("name", call.name());
        function.put("arguments", call.arguments());
      }
    }
    if (message.toolCallId() != null) {
      node.put("tool_call_id", message.toolCallId());
    }
    return node;
  }

  public static ChatMessage message(JsonNode node) {
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : node.path("tool_calls")) {
      JsonNode function = call.path("function");
      calls.add(new ToolCall(text(call, "id"), text(function, "name"), arguments(function)));
    }
    // Legacy single function_call, still sent by some OpenAI-compatible servers.
    JsonNode legacy = node.path("function_call");
    if (calls.isEmpty() && legacy.isObject()) {
      calls.add(new ToolCall(null, text(legacy, "name"), arguments(legacy)));
    }
    return new ChatMessage(
        node.path("role").asText(ChatMessage.ASSISTANT),
        text(node, "content"),
        calls,
        text(node, "tool_call_id"));
  }

  public static ObjectNode request(ChatRequest request, boolean stream) {
    return request(request, stream, "max_tokens");
  }

  /** The request body; {@code maxTokensParameter} names the output cap field. */
  public static ObjectNode request(ChatRequest request, boolean stream, String maxTokensParameter) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    request.messages().forEach(m -> messages.add(message(m)));
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      request.tools().forEach(tools::add);
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.maxOutputTokens() != null) {
      body.put(maxTokensParameter, request.maxOutputTokens());
    }
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  /** Reads a request body back, as a scripted test server or a recorder sees it. */
  public static List<ChatMessage> requestMessages(JsonNode body) {
    List<ChatMessage> messages = new ArrayList<>();
    body.path("messages").forEach(m -> messages.add(message(m)));
    return messages;
  }

  static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject() || !usage.has("prompt_tokens")) {
      return null;
    }
    long in = usage.path("prompt_tokens").asLong();
    long out = usage.path("completion_tokens").asLong();
    long total = usage.has("total_tokens") ? usage.path("total_tokens").asLong() : in + out;
    return new Usage(in, out, total, false);
  }

  private static String arguments(JsonNode function) {
    JsonNode args = function.get("arguments");
    if (args == null || args.isNull()) {
      return "";
    }
    // Some servers send the arguments as an object instead of a JSON string.
    return args.isTextual() ? args.asText() : args.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
