package dev.agentoperator.runner.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer that ends cleanly at the HTTP level but in the middle of the model's message
 * (neither {@code [DONE]} nor a finish reason), as a proxy or gateway ends a response when its
 * upstream goes away. A real socket server writes the bytes, so OkHttp sees a normal end of body.
 */
class OpenAiChatModelBrokenStreamTest {

  private static final String HALF = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
      + "\"content\":\"I have fixed the bu\"},\"finish_reason\":null}]}";
  private static final String WHOLE = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
      + "\"content\":\"I have fixed the build.\"},\"finish_reason\":\"stop\"}]}";

  private final RawHttpServer server = new RawHttpServer();
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private OpenAiChatModel model(RetryPolicy retry) {
    OpenAiSettings settings =
        OpenAiSettings.of(server.baseUrl(), "sk-test").withStream(true).withRetry(retry);
    return new OpenAiChatModel(settings, sleeps::add, Clock.systemUTC(), new Random(3));
  }

  private static ChatRequest request() {
    return new ChatRequest("gpt-test", List.of(ChatMessage.user("fix the build")), List.of(),
        0.2, 256);
  }

  @Test
  void shouldRetryAChunkedStreamThatEndsMidMessageAndReturnOnlyTheWholeAnswer() throws Exception {
    // given a first answer whose chunked body ends properly after half a sentence
    server.answer(RawHttpServer.chunked("data: " + HALF + "\n\n"));
    server.answer(RawHttpServer.chunked("data: " + WHOLE + "\n\ndata: [DONE]\n\n"));

    // when
    ChatResponse response = model(RetryPolicy.defaults()).complete(request());

    // then the half answer is dropped and the call is made again
    assertThat(response.message().content()).isEqualTo("I have fixed the build.");
    assertThat(response.finishReason()).isEqualTo("stop");
    assertThat(server.requests()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void shouldTreatAConnectionClosedMidMessageAsABrokenOffRetryableAnswer() {
    // given an answer without a length whose connection is closed after half a sentence
    server.answer(RawHttpServer.closeDelimited("data: " + HALF + "\n\n"));

    // when / then: not the model's message, but a retryable failure that says why
    assertThatThrownBy(() -> model(RetryPolicy.none()).complete(request()))
        .isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.getCause())
            .isInstanceOfSatisfying(ModelException.class, c -> assertThat(c.retryable()).isTrue()))
        .hasMessageContaining("after 1 attempt")
        .hasMessageContaining("broke off")
        .hasMessageContaining("ended before the answer was complete");
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void shouldAcceptAStreamWithAFinishReasonButNoDoneMarker() throws Exception {
    // given a provider that ends its stream after the finish reason, without [DONE]
    server.answer(RawHttpServer.closeDelimited("data: " + WHOLE + "\n\n"));

    // when
    ChatResponse response = model(RetryPolicy.none()).complete(request());

    // then
    assertThat(response.message().content()).isEqualTo("I have fixed the build.");
    assertThat(server.requests()).isEqualTo(1);
  }

  /** An HTTP/1.1 server on loopback that writes each queued answer's bytes as given. */
  private static final class RawHttpServer implements AutoCloseable {
    private final BlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private ServerSocket socket;

    static byte[] chunked(String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
          + Integer.toHexString(bytes.length) + "\r\n";
      return (head + body + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] closeDelimited(String body) {
      return ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
          + body).getBytes(StandardCharsets.UTF_8);
    }

    void start() throws IOException {
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread.ofPlatform().daemon().start(this::serve);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    void answer(byte[] response) {
      answers.add(response);
    }

    int requests() {
      return requests.get();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          readRequest(connection.getInputStream());
          requests.incrementAndGet();
          byte[] answer = answers.poll();
          OutputStream out = connection.getOutputStream();
          out.write(answer != null ? answer
              : "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException closed) {
          return;
        }
      }
    }

    /** Reads the head and the Content-Length body, so the client sees its request taken. */
    private static void readRequest(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("request ended early");
        }
        head.append((char) b);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
