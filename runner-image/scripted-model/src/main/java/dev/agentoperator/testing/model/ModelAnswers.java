package dev.agentoperator.testing.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import mockwebserver3.MockResponse;

/** The answers a scripted OpenAI-compatible model sends: completions (JSON or SSE) and errors. */
public final class ModelAnswers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelAnswers() {}

  /** A JSON response with any status and body. */
  public static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  /** An OpenAI-style error: {@code {"error":{"message":...}}}. */
  public static MockResponse error(int code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message);
    return json(code, body.toString());
  }

  /**
   * A non-streaming completion of a scripted turn; tool call ids are {@code call_<number>_<i>}, so
   * a resumed run sees the same ids for the same turn.
   */
  public static MockResponse turn(Turn turn, int number, int promptTokens, int completionTokens) {
    ObjectNode message = JSON.createObjectNode();
    message.put("role", "assistant");
    if (turn.content() == null) {
      message.putNull("content");
    } else {
      message.put("content", turn.content());
    }
    if (!turn.calls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      int n = 0;
      for (Turn.Call call : turn.calls()) {
        ObjectNode c = calls.addObject();
        c.put("id", "call_" + number + "_" + (++n)).put("type", "function");
        c.putObject("function").put("name", call.tool()).put("arguments", call.argumentsJson());
      }
    }
    String finish = turn.calls().isEmpty() ? "stop" : "tool_calls";
    return json(200, completion(message, finish, promptTokens, completionTokens).toString());
  }

  /** A non-streaming answer with the given tool calls ({name, argumentsJson} pairs). */
  public static MockResponse toolCalls(String... nameAndArguments) {
    ObjectNode message = JSON.createObjectNode();
    message.put("role", "assistant");
    message.putNull("content");
    ArrayNode calls = message.putArray("tool_calls");
    for (int i = 0; i < nameAndArguments.length; i += 2) {
      ObjectNode call = calls.addObject();
      call.put("id", "call_" + System.nanoTime() + "_" + i);
      call.put("type", "function");
      call.putObject("function")
          .put("name", nameAndArguments[i])
          .put("arguments", nameAndArguments[i + 1]);
    }
    return json(200, completion(message, "tool_calls", 120, 30).toString());
  }

  /** A non-streaming final answer. */
  public static MockResponse finalAnswer(String text) {
    ObjectNode message = JSON.createObjectNode();
    message.put("role", "assistant");
    message.put("content", text);
    return json(200, completion(message, "stop", 150, 20).toString());
  }

  /** A streamed answer whose tool-call arguments arrive in small pieces. */
  public static MockResponse streamedToolCall(String id, String name, String arguments) {
    StringBuilder body = new StringBuilder();
    ObjectNode first = JSON.createObjectNode();
    ObjectNode opening = toolCallDelta(first);
    opening.put("id", id).put("type", "function");
    opening.putObject("function").put("name", name).put("arguments", "");
    ((ObjectNode) first.path("choices").get(0).path("delta")).put("role", "assistant");
    chunk(body, first.toString());
    for (int start = 0; start < arguments.length(); start += 5) {
      String piece = arguments.substring(start, Math.min(arguments.length(), start + 5));
      ObjectNode delta = JSON.createObjectNode();
      toolCallDelta(delta).putObject("function").put("arguments", piece);
      chunk(body, delta.toString());
    }
    chunk(body, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    chunk(
        body,
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":200,\"completion_tokens\":25,"
            + "\"total_tokens\":225}}");
    return sse(body.append("data: [DONE]\n\n"));
  }

  /** A streamed final answer, a word per chunk. */
  public static MockResponse streamedText(String text) {
    StringBuilder body = new StringBuilder();
    for (String word : text.split("(?<= )")) {
      ObjectNode delta = JSON.createObjectNode();
      delta.putArray("choices").addObject().putObject("delta").put("content", word);
      chunk(body, delta.toString());
    }
    chunk(body, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    return sse(body.append("data: [DONE]\n\n"));
  }

  /**
   * A streamed answer that stops mid-sentence: the body ends cleanly at the HTTP level but with
   * neither a finish reason nor {@code [DONE]}, as a proxy ends a response whose upstream went
   * away.
   */
  public static MockResponse cutStream(List<String> pieces) {
    StringBuilder body = new StringBuilder();
    for (String text : pieces) {
      ObjectNode chunk = JSON.createObjectNode();
      chunk
          .put("id", "chatcmpl-cut")
          .put("object", "chat.completion.chunk")
          .put("created", 0)
          .put("model", "scripted");
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", 0).putNull("finish_reason");
      choice.putObject("delta").put("role", "assistant").put("content", text);
      chunk(body, chunk.toString());
    }
    return sse(body);
  }

  private static ObjectNode toolCallDelta(ObjectNode root) {
    ObjectNode call =
        root.putArray("choices")
            .addObject()
            .put("index", 0)
            .putObject("delta")
            .putArray("tool_calls")
            .addObject();
    call.put("index", 0);
    return call;
  }

  private static void chunk(StringBuilder body, String json) {
    body.append("data: ").append(json).append("\n\n");
  }

  private static MockResponse sse(StringBuilder body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "text/event-stream")
        .body(body.toString())
        .build();
  }

  private static ObjectNode completion(ObjectNode message, String finish, int in, int out) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-scripted")
        .put("object", "chat.completion")
        .put("created", 0)
        .put("model", "scripted");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message);
    choice.put("finish_reason", finish);
    body.putObject("usage")
        .put("prompt_tokens", in)
        .put("completion_tokens", out)
        .put("total_tokens", in + out);
    return body;
  }
}
