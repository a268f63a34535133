package dev.agentoperator.operator.runnerclient;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.contract.runner.ApiError;
import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.operator.runnerclient.RunnerReply.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's client of the runner HTTP API ({@code spec/runner-api.yaml}). Every call has a
 * bounded timeout and answers a {@link RunnerReply}; the bearer token is sent but never logged.
 */
public class RunnerClient {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READYZ_TIMEOUT = Duration.ofSeconds(2);
  private static final int READYZ_BODY_LIMIT = 512;

  /** A long-poll may legitimately take {@code wait} seconds; allow that plus this margin. */
  private static final Duration LONG_POLL_MARGIN = Duration.ofSeconds(5);

  private final HttpClient http;
  private final ObjectMapper json;
  private final int port;

  /** A client of runners listening on {@code port} of their pod IP. */
  public RunnerClient(int port) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build(),
        port);
  }

  RunnerClient(HttpClient http, int port) {
    this.http = Objects.requireNonNull(http, "http");
    this.port = port;
    // Lenient reading (a newer runner may add fields), no nulls written (the runner reads
    // strictly, and an absent field means "the runner's default").
    this.json =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }

  /** {@code PUT /v1/runs/{uid}}: starts (201), resumes (201) or finds (200) the run. */
  public RunnerReply<RunSummary> start(RunnerEndpoint endpoint, String uid, RunRequest request) {
    return send(endpoint, "PUT", "/v1/runs/" + uid, request, REQUEST_TIMEOUT, RunSummary.class);
  }

  /** {@code GET /v1/runs/{uid}}: the runner's bounded summary of the run. */
  public RunnerReply<RunSummary> summary(RunnerEndpoint endpoint, String uid) {
    return send(endpoint, "GET", "/v1/runs/" + uid, null, REQUEST_TIMEOUT, RunSummary.class);
  }

  /** {@code GET /v1/runs/{uid}/events?after=&wait=}: events after {@code after}, long-polled. */
  public RunnerReply<EventList> events(
      RunnerEndpoint endpoint, String uid, long after, int waitSeconds) {
    int wait = Math.clamp(waitSeconds, 0, RunnerApiLimits.EVENTS_WAIT_MAX_SECONDS);
    return send(
        endpoint,
        "GET",
        "/v1/runs/" + uid + "/events?after=" + Math.max(0, after) + "&wait=" + wait,
        null,
        Duration.ofSeconds(wait).plus(LONG_POLL_MARGIN),
        EventList.class);
  }

  /** {@code POST /v1/runs/{uid}/cancel}: asks the runner to stop the run (idempotent). */
  public RunnerReply<RunSummary> cancel(RunnerEndpoint endpoint, String uid) {
    return send(
        endpoint,
        "POST",
        "/v1/runs/" + uid + "/cancel",
        Map.of(),
        REQUEST_TIMEOUT,
        RunSummary.class);
  }

  /**
   * {@code POST /v1/runs/{uid}/approvals}: answers one pending approval (idempotent per id); the
   * runner records {@code answer.by()} in its event.
   */
  public RunnerReply<RunSummary> approve(RunnerEndpoint endpoint, String uid, ApprovalDecision answer) {
    return send(
        endpoint,
        "POST",
        "/v1/runs/" + uid + "/approvals",
        answer,
        REQUEST_TIMEOUT,
        RunSummary.class);
  }

  /**
   * {@code POST /v1/runs/{uid}/answers}: answers one pending question (idempotent per id); the
   * runner records {@code answer.by()} in its event.
   */
  public RunnerReply<RunSummary> answer(RunnerEndpoint endpoint, String uid, QuestionAnswer answer) {
    return send(
        endpoint,
        "POST",
        "/v1/runs/" + uid + "/answers",
        answer,
        REQUEST_TIMEOUT,
        RunSummary.class);
  }

  /**
   * {@code GET /readyz} of the runner at {@code podIp}, without a token (the kubelet's probe has
   * none either): the runner's own reason for not being ready (the body of its 503, bounded), or
   * empty when it is ready, does not answer yet, or answers something else.
   */
  public Optional<String> notReadyReason(String podIp) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + port + "/readyz"))
              .timeout(READYZ_TIMEOUT)
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body() == null ? "" : response.body().strip();
      if (response.statusCode() != 503 || body.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          body.length() <= READYZ_BODY_LIMIT ? body : body.substring(0, READYZ_BODY_LIMIT) + "...");
    } catch (IOException e) {
      LOG.debug("runner readiness not answered on {}: {}", podIp, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private <T> RunnerReply<T> send(
      RunnerEndpoint endpoint,
      String method,
      String path,
      Object body,
      Duration timeout,
      Class<T> type) {
    String target = method + " " + path;
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://" + endpoint.podIp() + ":" + port + path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + endpoint.token())
              .header("Accept", "application/json");
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      }
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return interpret(target, response.statusCode(), response.body(), type);
    } catch (HttpTimeoutException e) {
      LOG.debug("runner call timed out: {} on {}", target, endpoint.podIp());
      return RunnerReply.failure(Outcome.UNREACHABLE, 0, "timed out: " + target, null);
    } catch (IOException e) {
      LOG.debug("runner unreachable: {} on {}: {}", target, endpoint.podIp(), e.toString());
      return RunnerReply.failure(
          Outcome.UNREACHABLE, 0, "runner unreachable at " + endpoint.podIp() + ": " + e, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RunnerReply.failure(Outcome.UNREACHABLE, 0, "interrupted: " + target, null);
    }
  }

  private <T> RunnerReply<T> interpret(String target, int status, byte[] body, Class<T> type) {
    Outcome outcome =
        switch (status) {
          case 200 -> Outcome.OK;
          case 201 -> Outcome.CREATED;
          case 202 -> Outcome.ACCEPTED;
          case 400 -> Outcome.BAD_REQUEST;
          case 401 -> Outcome.UNAUTHORIZED;
          case 404 -> Outcome.NOT_FOUND;
          case 409 -> Outcome.CONFLICT;
          default -> Outcome.UNREACHABLE;
        };
    try {
      if (status >= 200 && status < 300) {
        T parsed = body.length == 0 ? null : json.readValue(body, type);
        if (parsed == null) {
          // "null" or nothing where a summary belongs: treated like no answer, never a null body
          return RunnerReply.failure(
              Outcome.UNREACHABLE, status, "empty answer to " + target, null);
        }
        return RunnerReply.success(outcome, status, parsed);
      }
      ApiError error = body.length == 0 ? null : json.readValue(body, ApiError.class);
      String message =
          error != null && error.error() != null
              ? error.error()
              : "HTTP " + status + " from " + target;
      return RunnerReply.failure(
          outcome, status, message, error == null ? null : error.activeRun());
    } catch (IOException e) {
      return RunnerReply.failure(
          Outcome.UNREACHABLE,
          status,
          "unreadable answer to " + target + ": " + e.getMessage(),
          null);
    }
  }
}
