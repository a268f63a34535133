package dev.agentoperator.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Conversation;
import dev.agentoperator.testing.model.ModelAnswers;
import dev.agentoperator.testing.model.ScriptedModelServer;
import dev.agentoperator.testing.model.Turn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;

/**
 * The scripted model of the runner API tests, a layer on the shared {@link ScriptedModelServer}
 * that answers like a deterministic model: the answer depends only on the conversation so far (turn
 * N is the answer to a request with N-1 assistant messages), so a restarted runner resuming a run
 * gets the same answers. A turn can be held until the test releases it, to catch a run mid-call.
 */
final class TurnScriptedModel implements AutoCloseable {

  private final Map<String, List<Turn>> scripts;
  private final Map<Integer, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final Map<Integer, CountDownLatch> arrivals = new ConcurrentHashMap<>();
  private final ScriptedModelServer server;

  TurnScriptedModel(Turn... turns) {
    this(Map.of("", List.of(turns)));
  }

  /**
   * One script per task: the script whose key the request's first user message starts with (the key
   * {@code ""} matches every task), so several runs can share one server.
   */
  TurnScriptedModel(Map<String, List<Turn>> scripts) {
    this.scripts = Map.copyOf(scripts);
    this.server = new ScriptedModelServer(this::answer);
  }

  String baseUrl() {
    return server.baseUrl();
  }

  int requests() {
    return server.requestCount();
  }

  /** The bodies of the chat requests received, oldest first: what the model was shown. */
  List<JsonNode> bodies() {
    return server.requests();
  }

  /** The content of every {@code tool} message in the last request: what the model last saw. */
  List<String> toolMessagesOfLastRequest() {
    return Conversation.toolMessages(server.requests().getLast());
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

  private MockResponse answer(JsonNode body) throws InterruptedException {
    List<Turn> turns = script(Conversation.task(body));
    int number = Conversation.assistantTurns(body) + 1;
    arrival(number).countDown();
    CountDownLatch hold = holds.get(number);
    if (hold != null) {
      hold.await(60, TimeUnit.SECONDS);
    }
    if (number > turns.size()) {
      return ModelAnswers.error(500, "script has no turn " + number);
    }
    return ModelAnswers.turn(turns.get(number - 1), number, 100, 10);
  }

  private List<Turn> script(String task) {
    return scripts.entrySet().stream()
        .filter(e -> !e.getKey().isEmpty() && task.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(scripts.getOrDefault("", List.of()));
  }
}
