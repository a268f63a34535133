package dev.agentoperator.operator.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.testing.model.Conversation;
import dev.agentoperator.testing.model.ModelAnswers;
import dev.agentoperator.testing.model.ScriptedModelServer;
import dev.agentoperator.testing.model.Turn;
import java.time.Duration;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;

/**
 * The scripted model of the end-to-end tests, a layer on the shared {@link ScriptedModelServer}:
 * the answer to a chat completion request is chosen by the run's prompt (a script is picked by a
 * text the prompt contains) and the number of assistant turns already in the conversation. Being a
 * function of the conversation, it answers a resumed run (a new runner process) where the old one
 * left off. Faults (HTTP errors, cut streams, late answers, a model down for good) are injected
 * per prompt marker.
 */
final class ScriptedModel implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private final Map<String, List<Turn>> scripts = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final ScriptedModelServer server = new ScriptedModelServer(this::answer);

  /** A started model for a static field ({@code @AutoClose static final ScriptedModel model}). */
  static ScriptedModel started() {
    return new ScriptedModel();
  }

  /** The base URL runners use, e.g. {@code http://127.0.0.1:4321/v1}. */
  String baseUrl() {
    return server.baseUrl();
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
    return server.requests().stream()
        .filter(r -> Conversation.task(r).contains(promptMarker))
        .toList();
  }

  /** The Authorization header of every request, in order. */
  List<String> authorizations() {
    return server.authorizations();
  }

  /** The text of every tool message the model was sent for a script, joined. */
  String toolResultsSeen(String promptMarker) {
    StringBuilder text = new StringBuilder();
    for (JsonNode request : requests(promptMarker)) {
      for (String content : Conversation.toolMessages(request)) {
        text.append(content).append('\n');
      }
    }
    return text.toString();
  }

  private MockResponse answer(JsonNode body) {
    String prompt = Conversation.task(body);
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
      return ModelAnswers.error(fault.code(), "injected fault: HTTP " + fault.code());
    }
    if (fault != null && fault.cutOff()) {
      return ModelAnswers.cutStream(List.of(CUT_TEXT, " ends"));
    }
    if (turns == null) {
      return ModelAnswers.error(400, "no script for prompt: " + prompt);
    }
    int step = Conversation.assistantTurns(body);
    if (step >= turns.size()) {
      return ModelAnswers.error(
          400, "the script has " + turns.size() + " turns; asked for " + (step + 1));
    }
    MockResponse answer = ModelAnswers.turn(turns.get(step), step + 1, 100 + 10 * step, 20);
    if (fault == null || fault.delay().isZero()) {
      return answer;
    }
    return answer.newBuilder()
        .headersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS)
        .build();
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
