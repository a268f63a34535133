package dev.agentoperator.testing.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible {@code /chat/completions} endpoint on a real loopback HTTP server, the one
 * every test that needs a model talks to. It records every request (body and Authorization header)
 * and answers it from a {@link Script}: by default a queue of answers ({@link #then}) with a
 * fallback ({@link #otherwise}); scripts chosen by the conversation are layers that pass their own
 * {@code Script} (see {@link Conversation} and {@link ModelAnswers}).
 */
public final class ScriptedModelServer implements AutoCloseable {

  /** Answers one chat request, given its body; may block (a held turn). */
  @FunctionalInterface
  public interface Script {
    MockResponse answer(JsonNode request) throws InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final LinkedBlockingDeque<Script> queue = new LinkedBlockingDeque<>();
  private volatile Script fallback =
      body -> ModelAnswers.error(500, "the script has no more answers");

  /** A server answering from its queue ({@link #then}), then from {@link #otherwise}. */
  public ScriptedModelServer() {
    this(null);
  }

  /** A server whose every request is answered by {@code script}. */
  public ScriptedModelServer(Script script) {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            JsonNode body;
            try {
              body = JSON.readTree(request.getBody() == null ? "{}" : request.getBody().utf8());
            } catch (IOException e) {
              return ModelAnswers.error(400, "bad json");
            }
            requests.add(body);
            authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
            Script answer = script;
            if (answer == null) {
              Script next = queue.poll();
              answer = next != null ? next : fallback;
            }
            try {
              return answer.answer(body);
            } catch (RuntimeException e) {
              // A broken script shows up as the model's error, not as a hung connection.
              return ModelAnswers.error(500, e.toString());
            }
          }
        });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted model", e);
    }
  }

  /** The base URL runners use, e.g. {@code http://127.0.0.1:4321/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getPort() + "/v1";
  }

  /** Queues the answer to the next unanswered request. */
  public ScriptedModelServer then(Script answer) {
    queue.add(answer);
    return this;
  }

  public ScriptedModelServer then(MockResponse answer) {
    return then(body -> answer);
  }

  /** The answer once the queue is empty (by default HTTP 500). */
  public ScriptedModelServer otherwise(Script answer) {
    fallback = answer;
    return this;
  }

  /** The bodies of the chat requests received, oldest first: what the model was shown. */
  public List<JsonNode> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public int requestCount() {
    return requests.size();
  }

  /** The Authorization header of every request, in order. */
  public List<String> authorizations() {
    synchronized (authorizations) {
      return List.copyOf(authorizations);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
