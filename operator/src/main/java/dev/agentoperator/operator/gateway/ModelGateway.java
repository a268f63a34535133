package dev.agentoperator.operator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentoperator.contract.gateway.GatewayProtocol;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agent-gateway}: an OpenAI-compatible {@code /v1/chat/completions} (streaming SSE passed
 * through as it arrives, and non-streaming) and {@code /v1/models}, in front of each session's
 * provider. A sandbox pod authenticates with its session's gateway token; the gateway adds the
 * provider key, meters tokens per run, session and model, and refuses a run over its {@code
 * maxTokens} with a 429 whose {@code error.code} is {@value GatewayProtocol#MAX_TOKENS_EXCEEDED}.
 * It does not retry: retries (with backoff and {@code Retry-After}) stay in the runner, which sees
 * the upstream's status as is. Also serves {@code /healthz}, {@code /readyz} and {@code /metrics}.
 */
public final class ModelGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;
  private static final int MAX_ERROR_BYTES = 64 * 1024;

  private final SessionRoutes routes;
  private final UsageMeter meter;
  private final PrometheusMeterRegistry registry;
  private final HttpClient upstream;
  private final Duration upstreamTimeout;
  private final HttpServer server;
  private final ExecutorService executor;

  private ModelGateway(
      SessionRoutes routes,
      PrometheusMeterRegistry registry,
      Duration upstreamTimeout,
      HttpServer server,
      ExecutorService executor) {
    this.routes = routes;
    this.meter = new UsageMeter(registry);
    this.registry = registry;
    this.upstreamTimeout = upstreamTimeout;
    this.server = server;
    this.executor = executor;
    this.upstream =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(executor)
            .build();
  }

  /** Starts serving on {@code address}, looking sessions up with {@code client}. */
  public static ModelGateway start(
      InetSocketAddress address,
      KubernetesClient client,
      GatewaySettings settings,
      PrometheusMeterRegistry registry)
      throws IOException {
    return start(
        address,
        new SessionRoutes(client, settings.cacheTtl(), Clock.systemUTC()),
        registry,
        settings.upstreamTimeout());
  }

  /** Starts serving on {@code address} (port 0: any free port). */
  static ModelGateway start(
      InetSocketAddress address,
      SessionRoutes routes,
      PrometheusMeterRegistry registry,
      Duration upstreamTimeout)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    ModelGateway gateway = new ModelGateway(routes, registry, upstreamTimeout, server, executor);
    server.createContext("/v1/chat/completions", gateway::chatCompletions);
    server.createContext("/v1/models", gateway::models);
    server.createContext("/healthz", exchange -> text(exchange, 200, "ok"));
    server.createContext("/readyz", exchange -> text(exchange, 200, "ok"));
    server.createContext("/metrics", exchange -> text(exchange, 200, registry.scrape()));
    server.start();
    LOG.info("agent-gateway listening on {}", server.getAddress());
    return gateway;
  }

  /** Where the gateway listens. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Per-run usage, for tests. */
  UsageMeter meter() {
    return meter;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void models(HttpExchange exchange) throws IOException {
    try (exchange) {
      answerModels(exchange);
    }
  }

  private void answerModels(HttpExchange exchange) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod())) {
        error(exchange, new GatewayRejection(405, "invalid_request_error", null, "use GET"));
        return;
      }
      GatewayRoute route = routes.resolve(bearer(exchange));
      ObjectNode body = JSON.createObjectNode().put("object", "list");
      body.putArray("data")
          .addObject()
          .put("id", route.model())
          .put("object", "model")
          .put("owned_by", "agent-gateway");
      json(exchange, 200, body);
    } catch (GatewayRejection rejection) {
      error(exchange, rejection);
    }
  }

  private void chatCompletions(HttpExchange exchange) throws IOException {
    try (exchange) {
      answerChatCompletions(exchange);
    }
  }

  private void answerChatCompletions(HttpExchange exchange) throws IOException {
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        error(exchange, new GatewayRejection(405, "invalid_request_error", null, "use POST"));
        return;
      }
      GatewayRoute route = routes.resolve(bearer(exchange));
      String run = exchange.getRequestHeaders().getFirst(GatewayProtocol.RUN_HEADER);
      ObjectNode request = readRequest(exchange);
      String model = request.path("model").asText(route.model());
      checkBudget(exchange, route, run, model);
      boolean stream = request.path("stream").asBoolean(false);
      if (stream) {
        // so the last chunk carries usage, which the budget needs
        request.putObject("stream_options").put("include_usage", true);
      }
      forward(exchange, route, run, model, request, stream);
    } catch (GatewayRejection rejection) {
      error(exchange, rejection);
    }
  }

  private void checkBudget(HttpExchange exchange, GatewayRoute route, String run, String model)
      throws GatewayRejection {
    String header = exchange.getRequestHeaders().getFirst(GatewayProtocol.MAX_TOKENS_HEADER);
    if (header == null || run == null) {
      return;
    }
    long max;
    try {
      max = Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      throw new GatewayRejection(
          400,
          "invalid_request_error",
          null,
          GatewayProtocol.MAX_TOKENS_HEADER + " must be a number, got '" + header + "'");
    }
    long used = meter.usage(route, run).totalTokens();
    if (used >= max) {
      meter.outcome(route, model, "budget_exceeded");
      throw new GatewayRejection(
          429,
          "budget_exceeded",
          GatewayProtocol.MAX_TOKENS_EXCEEDED,
          "run " + run + " used " + used + " tokens, its limit is " + max);
    }
  }

  private void forward(
      HttpExchange exchange,
      GatewayRoute route,
      String run,
      String model,
      ObjectNode request,
      boolean stream)
      throws IOException, GatewayRejection {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(route.baseUrl() + "/chat/completions"))
            .timeout(upstreamTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", stream ? "text/event-stream" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)));
    if (route.apiKey() != null && !route.apiKey().isEmpty()) {
      builder.header("Authorization", "Bearer " + route.apiKey());
    }
    HttpResponse<InputStream> response;
    try {
      response = upstream.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      meter.outcome(route, model, "unreachable");
      throw new GatewayRejection(
          502,
          "upstream_error",
          "upstream_unreachable",
          "cannot reach the model at " + route.baseUrl() + ": " + scrub(route, e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GatewayRejection(503, "upstream_error", null, "the gateway is stopping");
    }
    String contentType =
        response.headers().firstValue("Content-Type").orElse("application/json");
    exchange.getResponseHeaders().set("Content-Type", contentType);
    response
        .headers()
        .firstValue("Retry-After")
        .ifPresent(value -> exchange.getResponseHeaders().set("Retry-After", value));
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        byte[] bytes =
            scrub(route, new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        meter.outcome(route, model, "upstream_" + response.statusCode());
        send(exchange, response.statusCode(), bytes);
      } else if (contentType.contains("text/event-stream")) {
        meter.answered(route, run, model, 200, relay(exchange, body));
      } else {
        byte[] bytes = body.readAllBytes();
        send(exchange, 200, bytes);
        meter.answered(route, run, model, 200, usageOf(bytes));
      }
    }
  }

  /** Passes the SSE stream through line by line, flushing each event; returns the last usage. */
  private static JsonNode relay(HttpExchange exchange, InputStream body) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    JsonNode usage = null;
    OutputStream out = exchange.getResponseBody();
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      if (line.isEmpty()) {
        out.flush();
      } else if (line.startsWith("data:") && line.contains("\"usage\"")) {
        JsonNode found = usageOf(line.substring(5).strip().getBytes(StandardCharsets.UTF_8));
        usage = found != null ? found : usage;
      }
    }
    out.flush();
    return usage;
  }

  private static JsonNode usageOf(byte[] json) {
    try {
      JsonNode usage = JSON.readTree(json).path("usage");
      return usage.isObject() ? usage : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  private static ObjectNode readRequest(HttpExchange exchange) throws IOException, GatewayRejection {
    byte[] bytes = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
    if (bytes.length > MAX_REQUEST_BYTES) {
      throw new GatewayRejection(
          413, "invalid_request_error", null, "request body over " + MAX_REQUEST_BYTES + " bytes");
    }
    try {
      if (JSON.readTree(bytes) instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException notJson) {
      // answered below
    }
    throw new GatewayRejection(
        400, "invalid_request_error", null, "the request body must be a JSON object");
  }

  private static String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : null;
  }

  private static String scrub(GatewayRoute route, String text) {
    if (text == null || route.apiKey() == null || route.apiKey().isEmpty()) {
      return text;
    }
    return text.replace(route.apiKey(), "<redacted>");
  }

  private static void error(HttpExchange exchange, GatewayRejection rejection) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", rejection.getMessage()).put("type", rejection.type());
    if (rejection.code() != null) {
      error.put("code", rejection.code());
    }
    json(exchange, rejection.status(), body);
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, JSON.writeValueAsBytes(body));
  }

  private static void text(HttpExchange exchange, int status, String body) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }
}
