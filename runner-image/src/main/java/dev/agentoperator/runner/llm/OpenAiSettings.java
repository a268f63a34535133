package dev.agentoperator.runner.llm;

import java.time.Duration;

/**
 * Where and how to reach an OpenAI-compatible endpoint. {@code baseUrl} ends before {@code
 * /chat/completions} (e.g. {@code https://api.openai.com/v1}); {@code apiKey} may be empty for
 * local servers. {@link #toString()} never shows the key.
 */
public record OpenAiSettings(
    String baseUrl,
    String apiKey,
    boolean stream,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    RetryPolicy retry,
    String maxTokensParameter) {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /**
   * Defaults: streaming, 10 s connect, 120 s read, 10 min per call, {@link RetryPolicy#defaults()};
   * the output cap is sent as {@code max_completion_tokens} to OpenAI itself (its newer models
   * refuse {@code max_tokens}) and as {@code max_tokens} elsewhere (what compatible servers know).
   */
  public static OpenAiSettings of(String baseUrl, String apiKey) {
    return new OpenAiSettings(
        baseUrl,
        apiKey,
        true,
        Duration.ofSeconds(10),
        Duration.ofSeconds(120),
        Duration.ofMinutes(10),
        RetryPolicy.defaults(),
        baseUrl != null && baseUrl.contains("api.openai.com")
            ? "max_completion_tokens"
            : "max_tokens");
  }

  public OpenAiSettings withMaxTokensParameter(String value) {
    return new OpenAiSettings(
        baseUrl, apiKey, stream, connectTimeout, readTimeout, callTimeout, retry, value);
  }

  public OpenAiSettings withStream(boolean value) {
    return new OpenAiSettings(
        baseUrl,
        apiKey,
        value,
        connectTimeout,
        readTimeout,
        callTimeout,
        retry,
        maxTokensParameter);
  }

  public OpenAiSettings withRetry(RetryPolicy value) {
    return new OpenAiSettings(
        baseUrl,
        apiKey,
        stream,
        connectTimeout,
        readTimeout,
        callTimeout,
        value,
        maxTokensParameter);
  }

  public OpenAiSettings withTimeouts(Duration connect, Duration read, Duration call) {
    return new OpenAiSettings(
        baseUrl, apiKey, stream, connect, read, call, retry, maxTokensParameter);
  }

  @Override
  public String toString() {
    return "OpenAiSettings[baseUrl="
        + baseUrl
        + ", apiKey="
        + (apiKey == null || apiKey.isEmpty() ? "<none>" : "<redacted>")
        + ", stream="
        + stream
        + ", retry="
        + retry
        + "]";
  }
}
