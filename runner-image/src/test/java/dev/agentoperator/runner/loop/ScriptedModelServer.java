package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible {@code /chat/completions} endpoint on a real socket (MockWebServer) that
 * answers from a script: each request is handed to the next scripted function, or to a fallback.
 * Every request body is kept for assertions.
 */
final class ScriptedModelServer implements AutoCloseable {

  private final MockWebServer server = new MockWebServer();
  private final LinkedBlockingDeque<Function<JsonNode, MockResponse>> script =
      new LinkedBlockingDeque<>();
  private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<JsonNode, MockResponse> fallback =
      body -> json(500, "{\"error\":{\"message\":\"the script has no more answers\"}}");

  ScriptedModelServer() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            JsonNode body;
            try {
              body = WireFormat.JSON.readTree(request.getBody().utf8());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            requests.add(body);
            Function<JsonNode, MockResponse> next = script.poll();
            return (next != null ? next : fallback).apply(body);
          }
        });
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return server.url("/v1").toString();
  }

  ScriptedModelServer then(Function<JsonNode, MockResponse> answer) {
    script.add(answer);
    return this;
  }

  ScriptedModelServer then(MockResponse answer) {
    return then(body -> answer);
  }

  ScriptedModelServer otherwise(Function<JsonNode, MockResponse> answer) {
    fallback = answer;
    return this;
  }

  List<JsonNode> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  List<ChatMessage> messagesOf(int request) {
    return WireFormat.requestMessages(requests().get(request));
  }

  int requestCount() {
    return requests.size();
  }

  @Override
  public void close() {
    server.close();
  }

  // ---- answers -------------------------------------------------------------------------------

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  /** A non-streaming answer with the given tool calls ({name, argumentsJson} pairs). */
  static MockResponse toolCalls(String... nameAndArguments) {
    ObjectNode message = WireFormat.JSON.createObjectNode();
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

  static MockResponse finalAnswer(String text) {
    ObjectNode message = WireFormat.JSON.createObjectNode();
    message.put("role", "assistant");
    message.put("content", text);
    return json(200, completion(message, "stop", 150, 20).toString());
  }

  /** A streamed answer whose tool-call arguments arrive in small pieces. */
  static MockResponse streamedToolCall(String id, String name, String arguments) {
    StringBuilder body = new StringBuilder();
    chunk(
        body,
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{"
            + "\"index\":0,\"id\":\""
            + id
            + "\",\"type\":\"function\",\"function\":{\"name\":\""
            + name
            + "\",\"arguments\":\"\"}}]}}]}");
    for (int start = 0; start < arguments.length(); start += 5) {
      String piece = arguments.substring(start, Math.min(arguments.length(), start + 5));
      ObjectNode delta = WireFormat.JSON.createObjectNode();
      ObjectNode call =
          delta
              .putArray("choices")
              .addObject()
              .putObject("delta")
              .putArray("tool_calls")
              .addObject();
      call.put("index", 0);
      call.putObject("function").put("arguments", piece);
      chunk(body, delta.toString());
    }
    chunk(body, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    chunk(
        body,
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":200,\"completion_tokens\":25,"
            + "\"total_tokens\":225}}");
    body.append("data: [DONE]\n\n");
    return new MockResponse.Builder()
        .setHeader("Content-Type", "text/event-stream")
        .body(body.toString())
        .build();
  }

  static MockResponse streamedText(String text) {
    StringBuilder body = new StringBuilder();
    for (String word : text.split("(?<= )")) {
      ObjectNode delta = WireFormat.JSON.createObjectNode();
      delta.putArray("choices").addObject().putObject("delta").put("content", word);
      chunk(body, delta.toString());
    }
    chunk(body, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    body.append("data: [DONE]\n\n");
    return new MockResponse.Builder()
        .setHeader("Content-Type", "text/event-stream")
        .body(body.toString())
        .build();
  }

  private static void chunk(StringBuilder body, String json) {
    body.append("data: ").append(json).append("\n\n");
  }

  private static ObjectNode completion(ObjectNode message, String finish, int in, int out) {
    ObjectNode body = WireFormat.JSON.createObjectNode();
    body.put("id", "chatcmpl-test");
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
