package dev.agentoperator.runner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible {@code /chat/completions} endpoint on a real HTTP server that answers like a
 * deterministic model: the answer depends only on the conversation so far (turn N is the answer to
 * a request with N-1 assistant messages), so a restarted runner resuming a run gets the same
 * answers. A turn can be held until the test releases it, to catch a run mid-call.
 */
final class ScriptedModelServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One model answer: final text, or tool calls. */
  record Turn(String content, List<Call> calls) {

    static Turn answer(String content) {
      return new Turn(content, List.of());
    }

    static Turn call(String tool, String argumentsJson) {
      return new Turn(null, List.of(new Call(tool, argumentsJson)));
    }
  }

  /** A tool call of a turn. */
  record Call(String tool, String argumentsJson) {}

  private final MockWebServer server = new MockWebServer();
  private final Map<String, List<Turn>> scripts;
  private final Map<Integer, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final Map<Integer, CountDownLatch> arrivals = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

  ScriptedModelServer(Turn... turns) throws IOException {
    this(Map.of("", List.of(turns)));
  }

  /**
   * One script per task: the script whose key the request's first user message starts with (the key
   * {@code ""} matches every task), so several runs can share one server.
   */
  ScriptedModelServer(Map<String, List<Turn>> scripts) throws IOException {
    this.scripts = Map.copyOf(scripts);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            return answer(request);
          }
        });
    server.start();
  }

  String baseUrl() {
    return server.url("/v1").toString();
  }

  int requests() {
    return requests.get();
  }

  /** The bodies of the chat requests received, oldest first: what the model was shown. */
  List<JsonNode> bodies() {
    return List.copyOf(bodies);
  }

  /** The content of every {@code tool} message in the last request: what the model last saw. */
  List<String> toolMessagesOfLastRequest() {
    List<String> contents = new ArrayList<>();
    for (JsonNode message : bodies.getLast().path("messages")) {
      if ("tool".equals(message.path("role").asText())) {
        contents.add(message.path("content").asText());
      }
    }
    return contents;
  }

  /** Turn {@code number} (1-based) is not answered until {@link #release}. */
  void hold(int number) {
    holds.put(number, new CountDownLatch(1));
  }

  void release(int number) {
    CountDownLatch latch = holds.get(number);
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Waits until the request for turn {@code number} arrived. */
  boolean awaitRequest(int number, long seconds) throws InterruptedException {
    return arrival(number).await(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    holds.values().forEach(CountDownLatch::countDown);
    server.close();
  }

  private CountDownLatch arrival(int number) {
    return arrivals.computeIfAbsent(number, n -> new CountDownLatch(1));
  }

  private MockResponse answer(RecordedRequest request) throws InterruptedException {
    requests.incrementAndGet();
    JsonNode body;
    try {
      body = JSON.readTree(request.getBody() == null ? "{}" : request.getBody().utf8());
    } catch (IOException e) {
      return json(400, "{\"error\":{\"message\":\"bad json\"}}");
    }
    bodies.add(body);
    int assistantMessages = 0;
    String task = null;
    for (JsonNode message : body.path("messages")) {
      if ("assistant".equals(message.path("role").asText())) {
        assistantMessages++;
      }
      if (task == null && "user".equals(message.path("role").asText())) {
        task = message.path("content").asText("");
      }
    }
    List<Turn> turns = script(task == null ? "" : task);
    int number = assistantMessages + 1;
    arrival(number).countDown();
    CountDownLatch hold = holds.get(number);
    if (hold != null) {
      hold.await(60, TimeUnit.SECONDS);
    }
    if (number > turns.size()) {
      return json(500, "{\"error\":{\"message\":\"script has no turn " + number + "\"}}");
    }
    return json(200, completion(number, turns.get(number - 1)).toString());
  }

  private List<Turn> script(String task) {
    return scripts.entrySet().stream()
        .filter(e -> !e.getKey().isEmpty() && task.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(scripts.getOrDefault("", List.of()));
  }

  private static ObjectNode completion(int number, Turn turn) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + number);
    root.put("object", "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (turn.content() != null) {
      message.put("content", turn.content());
    } else {
      message.putNull("content");
    }
    if (!turn.calls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      List<Call> list = new ArrayList<>(turn.calls());
      for (int i = 0; i < list.size(); i++) {
        ObjectNode call = calls.addObject();
        call.put("id", "call_" + number + "_" + (i + 1));
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", list.get(i).tool());
        function.put("arguments", list.get(i).argumentsJson());
      }
    }
    choice.put("finish_reason", turn.calls().isEmpty() ? "stop" : "tool_calls");
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", 100);
    usage.put("completion_tokens", 10);
    usage.put("total_tokens", 110);
    return root;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
