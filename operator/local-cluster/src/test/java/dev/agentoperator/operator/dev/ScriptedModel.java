package dev.agentoperator.operator.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A scripted OpenAI-compatible model for end-to-end tests: a real HTTP server whose answer to a
 * chat completion request is chosen by the run's prompt (a script is picked by a text the prompt
 * contains) and the number of assistant turns already in the conversation. Being a function of
 * the conversation, it answers a resumed run (a new runner process) where the old one left off.
 */
final class ScriptedModel implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One model turn: optional text and tool calls (name, arguments as a JSON object string). */
  record Turn(String content, List<Call> calls) {
    static Turn say(String content) {
      return new Turn(content, List.of());
    }

    static Turn call(String tool, String argumentsJson) {
      return new Turn(null, List.of(new Call(tool, argumentsJson)));
    }
  }

  record Call(String tool, String argumentsJson) {}

  /**
   * A fault the endpoint answers one request with, before (or instead of) the script's turn: an
   * HTTP error, a streamed answer whose connection is cut halfway, or the right answer sent late.
   */
  record Fault(int code, boolean cutOff, Duration delay) {
    static Fault fail(int code) {
      return new Fault(code, false, Duration.ZERO);
    }

    /** A streamed (SSE) answer that starts with {@code CUT_TEXT} and stops mid-message. */
    static Fault cut() {
      return new Fault(200, true, Duration.ZERO);
    }

    /** The script's answer, with its headers held back for {@code delay}. */
    static Fault slow(Duration delay) {
      return new Fault(200, false, delay);
    }
  }

  /** The text a cut streamed answer starts with; it must never reach the transcript. */
  static final String CUT_TEXT = "This answer is cut off before it";

  private final MockWebServer server = new MockWebServer();
  private final Map<String, List<Turn>> scripts = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  ScriptedModel() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answer(request);
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** A started model for a static field ({@code @AutoClose static final ScriptedModel model}). */
  static ScriptedModel started() {
    try {
      return new ScriptedModel();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted model", e);
    }
  }

  /** The base URL runners use, e.g. {@code http://127.0.0.1:4321/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getPort() + "/v1";
  }

  /** Runs whose prompt contains {@code promptMarker} get these turns, one per model call. */
  ScriptedModel script(String promptMarker, Turn... turns) {
    scripts.put(promptMarker, List.of(turns));
    return this;
  }

  /** The next requests of runs whose prompt contains {@code promptMarker} meet these faults. */
  ScriptedModel faults(String promptMarker, Fault... next) {
    faults.computeIfAbsent(promptMarker, k -> new ConcurrentLinkedDeque<>())
        .addAll(List.of(next));
    return this;
  }

  /** Every request of runs whose prompt contains {@code promptMarker} gets HTTP 500, for good. */
  ScriptedModel down(String promptMarker) {
    down.add(promptMarker);
    return this;
  }

  /** Every request of the runs whose prompt contains {@code promptMarker}, oldest first. */
  List<JsonNode> requests(String promptMarker) {
    synchronized (requests) {
      return requests.stream().filter(r -> prompt(r).contains(promptMarker)).toList();
    }
  }

  /** The Authorization header of every request, in order. */
  List<String> authorizations() {
    synchronized (authorizations) {
      return List.copyOf(authorizations);
    }
  }

  /** The text of every tool message the model was sent for a script, joined. */
  String toolResultsSeen(String promptMarker) {
    StringBuilder text = new StringBuilder();
    for (JsonNode request : requests(promptMarker)) {
      for (JsonNode message : request.path("messages")) {
        if (message.path("role").asText().equals("tool")) {
          text.append(message.path("content").asText()).append('\n');
        }
      }
    }
    return text.toString();
  }

  private MockResponse answer(RecordedRequest request) {
    try {
      JsonNode body = JSON.readTree(request.getBody().utf8());
      requests.add(body);
      authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
      String prompt = prompt(body);
      List<Turn> turns = null;
      synchronized (scripts) {
        for (Map.Entry<String, List<Turn>> script : scripts.entrySet()) {
          if (prompt.contains(script.getKey())) {
            turns = script.getValue();
          }
        }
      }
      Fault fault = null;
      for (String marker : down) {
        if (prompt.contains(marker)) {
          fault = Fault.fail(500);
        }
      }
      for (Map.Entry<String, Deque<Fault>> queue : faults.entrySet()) {
        if (fault == null && prompt.contains(queue.getKey())) {
          fault = queue.getValue().poll();
        }
      }
      if (fault != null && fault.code() != 200) {
        return error(fault.code(), "injected fault: HTTP " + fault.code());
      }
      if (fault != null && fault.cutOff()) {
        return cutStream();
      }
      if (turns == null) {
        return error(400, "no script for prompt: " + prompt);
      }
      int step = 0;
      for (JsonNode message : body.path("messages")) {
        if (message.path("role").asText().equals("assistant")) {
          step++;
        }
      }
      if (step >= turns.size()) {
        return error(400, "the script has " + turns.size() + " turns; asked for " + (step + 1));
      }
      MockResponse.Builder answer = new MockResponse.Builder().code(200)
          .addHeader("Content-Type", "application/json").body(completion(turns.get(step), step));
      if (fault != null && !fault.delay().isZero()) {
        answer.headersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
      return answer.build();
    } catch (IOException | RuntimeException e) {
      return error(500, e.toString());
    }
  }

  private static String completion(Turn turn, int step) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + step).put("object", "chat.completion").put("created", 0)
        .put("model", "scripted");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (turn.content() == null) {
      message.putNull("content");
    } else {
      message.put("content", turn.content());
    }
    if (!turn.calls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      int n = 0;
      for (Call call : turn.calls()) {
        ObjectNode c = calls.addObject();
        c.put("id", "call_" + (step + 1) + "_" + (++n)).put("type", "function");
        c.putObject("function").put("name", call.tool()).put("arguments", call.argumentsJson());
      }
    }
    choice.put("finish_reason", turn.calls().isEmpty() ? "stop" : "tool_calls");
    root.putObject("usage").put("prompt_tokens", 100 + 10 * step).put("completion_tokens", 20)
        .put("total_tokens", 120 + 10 * step);
    return JSON.writeValueAsString(root);
  }

  /**
   * A streamed (SSE) answer that stops mid-sentence: the body ends cleanly at the HTTP level but
   * with neither a finish reason nor {@code [DONE]}, as a proxy ends a response whose upstream
   * went away.
   */
  private static MockResponse cutStream() {
    StringBuilder body = new StringBuilder();
    for (String text : List.of(CUT_TEXT, " ends")) {
      ObjectNode chunk = JSON.createObjectNode();
      chunk.put("id", "chatcmpl-cut").put("object", "chat.completion.chunk").put("created", 0)
          .put("model", "scripted");
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", 0).putNull("finish_reason");
      choice.putObject("delta").put("role", "assistant").put("content", text);
      body.append("data: ").append(chunk).append("\n\n");
    }
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(body.toString()).build();
  }

  private static MockResponse error(int code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message);
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .body(body.toString()).build();
  }

  private static String prompt(JsonNode request) {
    for (JsonNode message : request.path("messages")) {
      if (message.path("role").asText().equals("user")) {
        return message.path("content").asText();
      }
    }
    return "";
  }

  /** A JSON object string from alternating keys and values, for tool arguments. */
  static String args(String... keysAndValues) {
    ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return node.toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
