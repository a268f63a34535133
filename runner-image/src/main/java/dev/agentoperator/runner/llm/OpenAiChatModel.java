package dev.agentoperator.runner.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.gateway.GatewayProtocol;
import dev.agentoperator.runner.Lazy;
import dev.agentoperator.contract.runner.Usage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.random.RandomGenerator;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * A {@link ChatModel} for any OpenAI-compatible {@code /chat/completions} endpoint, streaming (SSE)
 * or not, with retries on rate limits, server errors and broken connections. The API key travels
 * only in the {@code Authorization} header and is scrubbed from every error message.
 */
public final class OpenAiChatModel implements ChatModel {

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final int MAX_ERROR_BODY = 2_000;

  private final OpenAiSettings settings;
  // Built at the first call: its TLS set-up is not needed before the runner is ready.
  private final Lazy<OkHttpClient> client;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RandomGenerator random;
  private final TokenCounter tokens = new TokenCounter();
  private final boolean gateway;
  private final Map<String, String> runHeaders;

  public OpenAiChatModel(OpenAiSettings settings) {
    this(settings, Sleeper.REAL, Clock.systemUTC(), RandomGenerator.getDefault());
  }

  public OpenAiChatModel(
      OpenAiSettings settings, Sleeper sleeper, Clock clock, RandomGenerator random) {
    this.settings = settings;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
    this.client =
        Lazy.of(
            () ->
                new OkHttpClient.Builder()
                    .connectTimeout(settings.connectTimeout())
                    .readTimeout(settings.readTimeout())
                    .callTimeout(settings.callTimeout())
                    .retryOnConnectionFailure(false)
                    .build());
    this.gateway = false;
    this.runHeaders = Map.of();
  }

  private OpenAiChatModel(OpenAiChatModel base, Map<String, String> runHeaders) {
    this.settings = base.settings;
    this.sleeper = base.sleeper;
    this.clock = base.clock;
    this.random = base.random;
    this.client = base.client;
    this.gateway = true;
    this.runHeaders = Map.copyOf(runHeaders);
  }

  /** Where and how this client calls the model (the key stays hidden in its text form). */
  public OpenAiSettings settings() {
    return settings;
  }

  /**
   * This client talking to the agent gateway: each run's calls carry its uid and {@code maxTokens}
   * ({@link GatewayProtocol}), and the gateway's budget refusal ends the run as MaxTokensExceeded.
   */
  public OpenAiChatModel viaGateway() {
    return new OpenAiChatModel(this, Map.of());
  }

  @Override
  public ChatModel forRun(String runUid, Long maxTokens) {
    if (!gateway) {
      return this;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(GatewayProtocol.RUN_HEADER, runUid);
    if (maxTokens != null) {
      headers.put(GatewayProtocol.MAX_TOKENS_HEADER, String.valueOf(maxTokens));
    }
    return new OpenAiChatModel(this, headers);
  }

  @Override
  public ChatResponse complete(ChatRequest request) throws InterruptedException {
    RetryPolicy retry = settings.retry();
    Instant firstAttempt = clock.instant();
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(request);
      } catch (ModelException failure) {
        if (!failure.retryable()) {
          throw failure;
        }
        if (attempt >= retry.maxAttempts()) {
          throw giveUp(failure, attempt);
        }
        Duration pause =
            failure instanceof RateLimited limited && limited.retryAfter.isPresent()
                ? limited.retryAfter.get()
                : retry.backoff(attempt, random);
        Duration spent = Duration.between(firstAttempt, clock.instant());
        if (spent.plus(pause).compareTo(retry.maxTotal()) > 0) {
          throw giveUp(failure, attempt);
        }
        sleeper.sleep(pause);
      }
    }
  }

  private ModelException giveUp(ModelException last, int attempts) {
    return new ModelException(
        "model call failed after "
            + attempts
            + (attempts == 1 ? " attempt: " : " attempts: ")
            + last.getMessage(),
        last.httpStatus(),
        false,
        last);
  }

  private ChatResponse attempt(ChatRequest request) throws InterruptedException {
    Request httpRequest = httpRequest(request);
    Call call = client.get().newCall(httpRequest);
    CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, IOException e) {
            result.completeExceptionally(
                new ModelException(
                    "cannot reach the model at " + settings.baseUrl() + ": " + scrub(describe(e)),
                    0,
                    true,
                    null));
          }

          @Override
          public void onResponse(Call done, Response response) {
            try (response) {
              result.complete(read(request, response));
            } catch (ModelException e) {
              result.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(
                  new ModelException(
                      "the model's answer broke off: " + scrub(describe(e)), 0, true, null));
            }
          }
        });
    try {
      return result.get();
    } catch (InterruptedException e) {
      call.cancel();
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ModelException modelException) {
        throw modelException;
      }
      throw new ModelException("model call failed: " + scrub(describe(e.getCause())));
    }
  }

  private Request httpRequest(ChatRequest request) {
    String body =
        WireFormat.request(request, settings.stream(), settings.maxTokensParameter()).toString();
    Request.Builder builder =
        new Request.Builder()
            .url(trimSlash(settings.baseUrl()) + "/chat/completions")
            .post(RequestBody.create(body, JSON_TYPE));
    if (settings.apiKey() != null && !settings.apiKey().isEmpty()) {
      builder.header("Authorization", "Bearer " + settings.apiKey());
    }
    if (settings.stream()) {
      builder.header("Accept", "text/event-stream");
    }
    runHeaders.forEach(builder::header);
    return builder.build();
  }

  private ChatResponse read(ChatRequest request, Response response) throws IOException {
    if (!response.isSuccessful()) {
      throw httpFailure(response);
    }
    String contentType = response.header("Content-Type", "");
    if (contentType.contains("text/event-stream")) {
      return readStream(request, response);
    }
    // Some servers ignore "stream": true and answer with one JSON document.
    JsonNode body = WireFormat.JSON.readTree(response.body().string());
    JsonNode choice = body.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw new ModelException(
          "the model's answer has no choices: " + scrub(abbreviate(body.toString())));
    }
    ChatMessage message = WireFormat.message(choice.path("message"));
    String finish =
        choice.path("finish_reason").isNull() ? null : choice.path("finish_reason").asText(null);
    return new ChatResponse(
        message, finish, usageOrEstimate(request, message, WireFormat.usage(body.get("usage"))));
  }

  private ChatResponse readStream(ChatRequest request, Response response) throws IOException {
    StreamAssembler assembler = new StreamAssembler();
    IOException[] failure = new IOException[1];
    boolean[] done = new boolean[1];
    EventSources.processResponse(
        response,
        new EventSourceListener() {
          @Override
          public void onEvent(EventSource source, String id, String type, String data) {
            if ("[DONE]".equals(data.trim())) {
              done[0] = true;
              return;
            }
            try {
              JsonNode chunk = WireFormat.JSON.readTree(data);
              if (chunk.has("error")) {
                failure[0] = new IOException("error in stream: " + errorMessage(chunk));
                source.cancel();
                return;
              }
              assembler.accept(chunk);
            } catch (IOException e) {
              failure[0] = new IOException("unreadable stream chunk: " + abbreviate(data), e);
              source.cancel();
            }
          }

          @Override
          public void onFailure(EventSource source, Throwable t, Response failed) {
            if (failure[0] == null) {
              failure[0] = new IOException(t == null ? "stream failed" : describe(t));
            }
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (!done[0] && assembler.finishReason() == null) {
      // A proxy or gateway that loses its upstream may end the body cleanly mid-message; without
      // [DONE] or a finish reason the text is a fragment, not the model's answer: retry it.
      throw new IOException("the stream ended before the answer was complete");
    }
    ChatMessage message = assembler.message();
    return new ChatResponse(
        message, assembler.finishReason(), usageOrEstimate(request, message, assembler.usage()));
  }

  private Usage usageOrEstimate(ChatRequest request, ChatMessage answer, Usage reported) {
    return reported != null
        ? reported
        : Usage.estimate(tokens.count(request), tokens.count(answer));
  }

  private ModelException httpFailure(Response response) throws IOException {
    int code = response.code();
    String body = response.body().string();
    String detail;
    String errorCode = null;
    try {
      JsonNode json = WireFormat.JSON.readTree(body);
      detail = errorMessage(json);
      errorCode = json.path("error").path("code").asText(null);
    } catch (IOException notJson) {
      detail = null;
    }
    if (detail == null || detail.isBlank()) {
      detail = body.isBlank() ? response.message() : abbreviate(body);
    }
    String message = "HTTP " + code + " from " + settings.baseUrl() + ": " + scrub(detail);
    if (code == 429 && gateway && GatewayProtocol.MAX_TOKENS_EXCEEDED.equals(errorCode)) {
      return new BudgetExceeded("the model gateway refused the call: " + scrub(detail));
    }
    return switch (code) {
      case 429 -> new RateLimited(message, RetryAfter.parse(response.header("Retry-After"), clock));
      case 500, 502, 503, 504 ->
          new RateLimited(message, RetryAfter.parse(response.header("Retry-After"), clock), code);
      default -> new ModelException(message, code, false, null);
    };
  }

  private static String errorMessage(JsonNode body) {
    JsonNode error = body.path("error");
    if (error.isTextual()) {
      return error.asText();
    }
    if (error.has("message")) {
      return error.path("message").asText();
    }
    return body.has("message") ? body.path("message").asText() : null;
  }

  private String scrub(String text) {
    String key = settings.apiKey();
    if (text == null || key == null || key.isEmpty()) {
      return text;
    }
    return text.replace(key, "<redacted>");
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_ERROR_BODY ? text : text.substring(0, MAX_ERROR_BODY) + "...";
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A retryable HTTP failure that may carry the server's {@code Retry-After}. */
  private static final class RateLimited extends ModelException {
    private final Optional<Duration> retryAfter;

    RateLimited(String message, Optional<Duration> retryAfter) {
      this(message, retryAfter, 429);
    }

    RateLimited(String message, Optional<Duration> retryAfter, int code) {
      super(message, code, true, null);
      this.retryAfter = retryAfter;
    }
  }
}
