package dev.agentoperator.runner.tools.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.Lazy;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.OutputLimit;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolException;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * {@code web_fetch}: GETs an http(s) URL with OkHttp, reads at most {@link
 * ToolSettings#fetchMaxBytes()} within {@link ToolSettings#fetchTimeout()}, and returns HTML as
 * text ({@link HtmlText}) and other text types as they are. Redirects are followed, but OkHttp only
 * ever follows them to http or https. Cancellation cancels the call.
 */
public final class WebFetchTool implements Tool {

  private final ToolSettings settings;
  // Built at the first fetch: most runs never fetch, and its TLS set-up would slow every start.
  private final Lazy<OkHttpClient> client;

  public WebFetchTool(ToolSettings settings) {
    this.settings = settings;
    this.client =
        Lazy.of(
            () ->
                new OkHttpClient.Builder()
                    .callTimeout(settings.fetchTimeout())
                    .followRedirects(true)
                    .followSslRedirects(true)
                    .build());
  }

  @Override
  public String name() {
    return "web_fetch";
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return Arguments.string(arguments, "url");
  }

  @Override
  public Duration timeLimit(JsonNode arguments) {
    return settings.fetchTimeout();
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
    String url = Arguments.string(arguments, "url").strip();
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new ToolException(
          "cannot fetch '" + url + "': only absolute http:// and https:// URLs are allowed");
    }
    Request request =
        new Request.Builder()
            .url(parsed)
            .header("User-Agent", "agent-runner web_fetch")
            .header("Accept", "text/html, text/plain, application/json, */*;q=0.5")
            .build();
    Call call = client.get().newCall(request);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread worker =
        Thread.ofVirtual()
            .name("web-fetch")
            .start(
                () -> {
                  try {
                    outcome.set(fetch(call, parsed));
                  } catch (IOException | RuntimeException e) {
                    outcome.set(e);
                  }
                });
    try {
      worker.join();
    } catch (InterruptedException e) {
      call.cancel();
      throw e;
    }
    Object result = outcome.get();
    if (result instanceof ToolResult toolResult) {
      return toolResult;
    }
    if (result instanceof ToolException e) {
      throw e;
    }
    if (result instanceof InterruptedIOException) {
      throw new ToolException(
          "fetching " + url + " timed out after " + settings.fetchTimeout().toSeconds() + " s");
    }
    Exception e = (Exception) result;
    throw new ToolException(
        "cannot fetch "
            + url
            + ": "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  private ToolResult fetch(Call call, HttpUrl url) throws IOException {
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      BufferedSource source = body.source();
      boolean complete = !source.request(settings.fetchMaxBytes() + 1);
      long available = Math.min(source.getBuffer().size(), settings.fetchMaxBytes());
      byte[] bytes = source.getBuffer().readByteArray(available);
      boolean truncated = !complete;
      MediaType type = body.contentType();
      Charset charset =
          type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
      String raw = new String(bytes, charset);
      String text =
          isHtml(type, raw) ? HtmlText.toText(raw, response.request().url().toString()) : raw;
      StringBuilder out = new StringBuilder();
      out.append("URL: ").append(response.request().url()).append('\n');
      out.append("Status: ").append(response.code()).append('\n');
      if (type != null) {
        out.append("Content-Type: ").append(type).append('\n');
      }
      out.append('\n').append(OutputLimit.headAndTail(text, settings.resultCapChars()));
      if (truncated) {
        out.append("\n[response cut at ").append(settings.fetchMaxBytes()).append(" bytes]\n");
      }
      if (!response.isSuccessful()) {
        return ToolResult.error("HTTP " + response.code() + " from " + url + "\n" + out);
      }
      return ToolResult.ok(out.toString());
    }
  }

  private static boolean isHtml(MediaType type, String raw) {
    if (type != null) {
      return type.subtype().toLowerCase(Locale.ROOT).contains("html");
    }
    String start = raw.stripLeading().toLowerCase(Locale.ROOT);
    return start.startsWith("<!doctype html") || start.startsWith("<html");
  }
}
