package dev.agentoperator.operator.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on loopback in front of the embedded API server, for the operator's client
 * only: it answers chosen requests with an error instead of forwarding them, and can break off
 * every open watch. One request per connection (it answers with {@code Connection: close}), so
 * each request is seen; WebSocket and streamed watches are piped both ways until either side
 * closes.
 */
final class FaultyApiProxy implements AutoCloseable {

  /** What the proxy sees of a request: method, path with query, and the upgrade it asks for. */
  record Request(String method, String target, boolean upgrade) {
    boolean isWatch() {
      return upgrade || target.contains("watch=true") || target.contains("watch=1");
    }

    /** A write (not GET) to a path that contains {@code part}, e.g. {@code /agentruns/}. */
    boolean writes(String part) {
      return !method.equals("GET") && target.contains(part);
    }
  }

  private record Rule(Predicate<Request> matches, int code, AtomicInteger left) {}

  private final ServerSocket server;
  private final List<Rule> rules = new ArrayList<>();
  private final Set<Socket> watches = ConcurrentHashMap.newKeySet();
  private final AtomicInteger injected = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile URI upstream;

  FaultyApiProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("faulty-api-proxy").start(this::accept);
  }

  /** A started proxy for a static field ({@code @AutoClose static final FaultyApiProxy proxy}). */
  static FaultyApiProxy started() {
    try {
      return new FaultyApiProxy();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the faulty API proxy", e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Where requests go, e.g. the embedded API server's URL. */
  void forwardTo(String url) {
    upstream = URI.create(url);
  }

  /** The next {@code times} requests that match get HTTP {@code code} (a Kubernetes Status). */
  void fail(int times, int code, Predicate<Request> matches) {
    synchronized (rules) {
      rules.add(new Rule(matches, code, new AtomicInteger(times)));
    }
  }

  /** How many requests were answered with an injected error. */
  int injected() {
    return injected.get();
  }

  /** Closes every open watch connection, as a load balancer or an API server restart does. */
  int dropWatches() {
    int sockets = 0;
    for (Socket watch : watches) {
      closeQuietly(watch);
      watches.remove(watch);
      sockets++;
    }
    // Each watch is two sockets: the operator's and the API server's.
    dropped.addAndGet(sockets / 2);
    return sockets / 2;
  }

  /** How many watch connections are open now. */
  int openWatches() {
    return watches.size() / 2;
  }

  /** How many watch connections {@link #dropWatches} closed. */
  int dropped() {
    return dropped.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String[] line = head.getFirst().split(" ");
      boolean upgrade = head.stream().anyMatch(h -> lower(h).startsWith("upgrade: websocket"));
      Request request = new Request(line[0], line[1], upgrade);
      boolean chunked = head.stream()
          .anyMatch(h -> lower(h).startsWith("transfer-encoding:") && lower(h).contains("chunked"));
      byte[] body = chunked ? readChunked(in) : in.readNBytes(contentLength(head));
      if (chunked) {
        head = new ArrayList<>(head.stream()
            .filter(h -> !lower(h).startsWith("transfer-encoding:")).toList());
        head.add("Content-Length: " + body.length);
      }
      Integer fault = faultFor(request);
      if (fault != null) {
        injected.incrementAndGet();
        answer(client.getOutputStream(), fault);
        return;
      }
      forward(client, head, body, request);
    } catch (IOException broken) {
      // the client or the API server went away: nothing to answer
    }
  }

  private Integer faultFor(Request request) {
    synchronized (rules) {
      for (Rule rule : rules) {
        if (rule.left().get() > 0 && rule.matches().test(request)) {
          rule.left().decrementAndGet();
          return rule.code();
        }
      }
    }
    return null;
  }

  private void forward(Socket client, List<String> head, byte[] body, Request request)
      throws IOException {
    try (Socket api = new Socket(upstream.getHost(), upstream.getPort())) {
      OutputStream toApi = api.getOutputStream();
      StringBuilder out = new StringBuilder(head.getFirst()).append("\r\n");
      for (String header : head.subList(1, head.size())) {
        String name = lower(header);
        // No h2c upgrade and no keep-alive: one request per connection, each one seen here.
        if (name.startsWith("http2-settings:")
            || (!request.upgrade() && (name.startsWith("connection:")
                || name.startsWith("upgrade:")))) {
          continue;
        }
        out.append(header).append("\r\n");
      }
      if (!request.upgrade()) {
        out.append("Connection: close\r\n");
      }
      toApi.write(out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      toApi.write(body);
      toApi.flush();
      InputStream fromApi = api.getInputStream();
      List<String> answerHead = readHead(fromApi);
      OutputStream toClient = client.getOutputStream();
      StringBuilder answer = new StringBuilder();
      for (String header : answerHead) {
        if (!request.upgrade() && lower(header).startsWith("connection:")) {
          continue;
        }
        answer.append(header).append("\r\n");
      }
      if (!request.upgrade()) {
        answer.append("Connection: close\r\n");
      }
      toClient.write(answer.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      toClient.flush();
      if (request.isWatch()) {
        watches.add(client);
        watches.add(api);
      }
      Thread back = Thread.ofVirtual().start(() -> pipe(client, api));
      pipe(api, client);
      closeQuietly(client);
      closeQuietly(api);
      try {
        back.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      watches.remove(client);
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException closed) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void answer(OutputStream out, int code) throws IOException {
    String reason = code == 409 ? "Conflict" : "Internal Server Error";
    String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
        + "\"message\":\"injected fault: HTTP " + code + "\",\"reason\":\""
        + (code == 409 ? "Conflict" : "InternalError") + "\",\"code\":" + code + "}";
    byte[] body = status.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** The head's lines (request or status line first) without the blank line; empty at EOF. */
  private static List<String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (bytes.size() == 0) {
          return List.of();
        }
        throw new IOException("the head ended early");
      }
      bytes.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = bytes.toString(StandardCharsets.ISO_8859_1);
    return List.of(text.substring(0, text.length() - 4).split("\r\n"));
  }

  /** A chunked body, decoded (trailers skipped). */
  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine(in);
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the body ended early");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static int contentLength(List<String> head) {
    for (String header : head) {
      if (lower(header).startsWith("content-length:")) {
        return Integer.parseInt(header.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  private static String lower(String header) {
    return header.toLowerCase(Locale.ROOT);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropWatches();
  }
}
