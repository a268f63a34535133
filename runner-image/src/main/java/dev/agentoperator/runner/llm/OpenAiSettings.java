package dev.agentoperator.runner.llm;

import java.time.Duration;

/**
 * Where and how to reach an OpenAI-compatible endpoint. {@code baseUrl} ends before {@code
 * /chat/completions} (e.g. {@code https://api.openai.com/v1}); {@code apiKey} may be empty for local
 * servers. {@link #toString()} never shows the key.
 */
public record OpenAiSettings(
    String baseUrl,
    String apiKey,
    boolean stream,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    RetryPolicy retry) {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  public static OpenAiSettings of(String baseUrl, String apiKey) {
    return new OpenAiSettings(
        baseUrl,
        apiKey,
        true,
        Duration.ofSeconds(10),
        Duration.ofSeconds(120),
        Duration.ofMinutes(10),
        RetryPolicy.defaults());
  }

  public OpenAiSettings withStream(boolean value) {
    return new OpenAiSettings(
        baseUrl, apiKey, value, connectTimeout, readTimeout, callTimeout, retry);
  }

  public OpenAiSettings withRetry(RetryPolicy value) {
    return new OpenAiSettings(
        baseUrl, apiKey, stream, connectTimeout, readTimeout, callTimeout, value);
  }

  public OpenAiSettings withTimeouts(Duration connect, Duration read, Duration call) {
    return new OpenAiSettings(baseUrl, apiKey, stream, connect, read, call, retry);
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
