package dev.agentoperator.runner.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentoperator.contract.runner.ApiError;
import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.runner.service.Abbreviate;
import dev.agentoperator.runner.service.ApiException;
import dev.agentoperator.runner.service.RunManager;
import dev.agentoperator.runner.service.RunnerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTP API ({@code spec/runner-api.yaml}) on the JDK's HTTP server, one virtual thread
 * per request. Probes and metrics are open; everything under {@code /v1} needs the bearer token. No
 * request can take the process down: every failure becomes a JSON error response.
 */
public final class ApiServer implements AutoCloseable {

  static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final BearerToken token;
  private final RunManager runs;
  private final Readiness readiness;
  private final RunnerMetrics metrics;

  private ApiServer(
      HttpServer server,
      ExecutorService executor,
      BearerToken token,
      RunManager runs,
      Readiness readiness,
      RunnerMetrics metrics) {
    this.server = server;
    this.executor = executor;
    this.token = token;
    this.runs = runs;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  /** Binds {@code address} (port 0 picks a free port) and starts serving. */
  public static ApiServer start(
      InetSocketAddress address,
      BearerToken token,
      RunManager runs,
      Readiness readiness,
      RunnerMetrics metrics)
      throws IOException {
    HttpServer server = HttpServer.create(address, 128);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    ApiServer api = new ApiServer(server, executor, token, runs, readiness, metrics);
    server.createContext("/", api::handle);
    server.setExecutor(executor);
    server.start();
    return api;
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      try {
        route(exchange);
      } catch (ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.putAll(e.extra());
        send(exchange, e.status(), JSON, ApiJson.write(body));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sendError(exchange, 503, "the runner is shutting down");
      } catch (RuntimeException | Error e) {
        LOG.error(
            "{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
        sendError(
            exchange, 500, "the runner failed to handle this request; its log has the details");
      }
    } catch (IOException e) {
      LOG.debug("client went away: {}", e.getMessage());
    }
  }

  private void route(HttpExchange exchange) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    switch (path) {
      case "/healthz" -> {
        requireMethod(method, "GET");
        send(exchange, 200, TEXT, "ok\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      case "/readyz" -> {
        requireMethod(method, "GET");
        Optional<String> problem = readiness.problem();
        send(
            exchange,
            problem.isPresent() ? 503 : 200,
            TEXT,
            (problem.orElse("ready") + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      case "/metrics" -> {
        requireMethod(method, "GET");
        send(
            exchange,
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.scrape().getBytes(StandardCharsets.UTF_8));
        return;
      }
      default -> {
        // the API below
      }
    }
    if (!path.equals("/v1") && !path.startsWith("/v1/")) {
      throw ApiException.notFound("no such path " + Abbreviate.line(path, 100));
    }
    if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
      throw new ApiException(401, "unauthorized");
    }
    String[] parts = path.substring(1).split("/", -1);
    if (parts.length == 2 && parts[1].equals("runs")) {
      requireMethod(method, "GET");
      sendJson(exchange, 200, runs.list());
    } else if (parts.length == 3 && parts[1].equals("runs")) {
      runResource(exchange, method, parts[2]);
    } else if (parts.length == 4 && parts[1].equals("runs")) {
      runAction(exchange, method, parts[2], parts[3]);
    } else {
      throw ApiException.notFound("no such path " + Abbreviate.line(path, 100));
    }
  }

  private void runResource(HttpExchange exchange, String method, String uid) throws IOException {
    switch (method) {
      case "PUT" -> {
        RunRequest request = RequestChecks.checked(ApiJson.read(body(exchange), RunRequest.class));
        RunManager.StartResult result = runs.start(uid, request);
        sendJson(exchange, result.started() ? 201 : 200, result.summary());
      }
      case "GET" -> sendJson(exchange, 200, runs.summary(uid));
      default -> throw methodNotAllowed(method, "GET, PUT");
    }
  }

  private void runAction(HttpExchange exchange, String method, String uid, String action)
      throws IOException, InterruptedException {
    switch (action) {
      case "events" -> {
        requireMethod(method, "GET");
        Map<String, String> query = query(exchange.getRequestURI());
        long after = number(query, "after", 0, 0, Long.MAX_VALUE);
        long wait = number(query, "wait", 0, 0, RunnerApiLimits.EVENTS_WAIT_MAX_SECONDS);
        long limit = number(
                query,
                "limit",
                RunnerApiLimits.EVENTS_LIMIT_DEFAULT,
                1,
                RunnerApiLimits.EVENTS_LIMIT_MAX);
        sendJson(exchange, 200, runs.events(uid, after, Duration.ofSeconds(wait), (int) limit));
      }
      case "cancel" -> {
        requireMethod(method, "POST");
        sendJson(exchange, 202, runs.cancel(uid));
      }
      case "approvals" -> {
        requireMethod(method, "POST");
        ApprovalDecision request =
            RequestChecks.checked(ApiJson.read(body(exchange), ApprovalDecision.class));
        sendJson(exchange, 200, runs.answer(uid, request));
      }
      case "answers" -> {
        requireMethod(method, "POST");
        QuestionAnswer request =
            RequestChecks.checked(ApiJson.read(body(exchange), QuestionAnswer.class));
        sendJson(exchange, 200, runs.answerQuestion(uid, request));
      }
      default ->
          throw ApiException.notFound(
              "no such path /v1/runs/" + uid + "/" + Abbreviate.line(action, 40));
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw ApiException.badRequest("the request body is larger than 1 MiB");
      }
      return body;
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> values = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.put(name, value);
    }
    return values;
  }

  private static long number(
      Map<String, String> query, String name, long fallback, long min, long max) {
    String value = query.get(name);
    if (value == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "query parameter '"
              + name
              + "' must be a whole number, got '"
              + Abbreviate.line(value, 40)
              + "'");
    }
    if (parsed < min || parsed > max) {
      throw ApiException.badRequest(
          "query parameter '"
              + name
              + "' must be between "
              + min
              + " and "
              + max
              + ", got "
              + parsed);
    }
    return parsed;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw methodNotAllowed(method, allowed);
    }
  }

  private static ApiException methodNotAllowed(String method, String allowed) {
    return new ApiException(
        405, "method " + Abbreviate.line(method, 20) + " is not allowed here; use " + allowed);
  }

  private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, JSON, ApiJson.write(body));
  }

  private static void sendError(HttpExchange exchange, int status, String message) {
    try {
      send(exchange, status, JSON, ApiJson.write(ApiError.of(message)));
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot send the error response: {}", e.getMessage());
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
