package dev.agentoperator.runner.serve;

import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.runner.events.ConsoleReporter;
import dev.agentoperator.runner.llm.RetryPolicy;
import dev.agentoperator.runner.sandbox.ExecuteCommand;
import dev.agentoperator.runner.tools.mcp.McpServerSpec;
import dev.agentoperator.runner.tools.publish.PublishSettings;
import dev.agentoperator.runner.workspace.WorkspaceSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code agent-runner serve} reads from its environment ({@code spec/runner-env.md}), checked
 * once at start. {@link #toString()} never shows the token or the model key.
 */
public record RunnerSettings(
    InetSocketAddress address,
    String token,
    Path executorSocket,
    WorkspaceSettings workspace,
    Model model,
    ConsoleReporter.Format logFormat,
    PublishSettings publish,
    List<McpServerSpec> mcpServers) {

  public static final String ADDRESS_ENV = RunnerEnv.RUNNER_ADDRESS;
  public static final String TOKEN_ENV = RunnerEnv.RUNNER_TOKEN;
  public static final String DEFAULT_ADDRESS = "0.0.0.0:8080";
  public static final int DEFAULT_CONTEXT_WINDOW = 100_000;

  /** The model the runner talks to: an OpenAI-compatible endpoint or a replay cassette. */
  public record Model(
      String provider,
      String baseUrl,
      String name,
      String apiKey,
      Double temperature,
      Integer maxOutputTokens,
      int contextWindow,
      Path cassette,
      boolean gateway,
      RetryPolicy retry) {

    public static final String OPENAI = "openai";
    public static final String REPLAY = "replay";

    @Override
    public String toString() {
      return "Model[provider="
          + provider
          + ", baseUrl="
          + baseUrl
          + ", name="
          + name
          + ", apiKey="
          + (apiKey == null || apiKey.isEmpty() ? "<none>" : "<redacted>")
          + ", temperature="
          + temperature
          + ", maxOutputTokens="
          + maxOutputTokens
          + ", contextWindow="
          + contextWindow
          + ", cassette="
          + cassette
          + ", gateway="
          + gateway
          + ", retry="
          + retry
          + "]";
    }
  }

  /**
   * Reads and checks the settings; a wrong value is an {@link IllegalArgumentException} naming it.
   */
  public static RunnerSettings fromEnv(Map<String, String> env) {
    String token = value(env, TOKEN_ENV);
    if (token == null) {
      throw new IllegalArgumentException(
          TOKEN_ENV
              + " is required: the bearer token the operator sends (from the session's Secret)");
    }
    String executorSocket = value(env, ExecuteCommand.SOCKET_ENV);
    if (executorSocket == null) {
      throw new IllegalArgumentException(
          ExecuteCommand.SOCKET_ENV
              + " is required: the Unix socket of the sandbox container's tool executor (tools"
              + " never run in the runner container)");
    }
    return new RunnerSettings(
        address(value(env, ADDRESS_ENV) == null ? DEFAULT_ADDRESS : value(env, ADDRESS_ENV)),
        token,
        Path.of(executorSocket),
        WorkspaceSettings.fromEnv(env),
        model(env),
        ConsoleReporter.Format.parse(
            value(env, RunnerEnv.LOG_FORMAT) == null ? "text" : value(env, RunnerEnv.LOG_FORMAT)),
        PublishSettings.fromEnv(env),
        McpServerSpec.parse(env.get(McpServerSpec.ENV)));
  }

  static InetSocketAddress address(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          ADDRESS_ENV + " must be host:port (e.g. 0.0.0.0:8080), got '" + value + "'");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ADDRESS_ENV + " has a port that is not a number: '" + value + "'", e);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(ADDRESS_ENV + " has a port out of range: '" + value + "'");
    }
    return new InetSocketAddress(host, port);
  }

  private static Model model(Map<String, String> env) {
    String provider =
        value(env, RunnerEnv.MODEL_PROVIDER) == null
            ? Model.OPENAI
            : value(env, RunnerEnv.MODEL_PROVIDER).toLowerCase(Locale.ROOT);
    String name = value(env, RunnerEnv.MODEL_NAME);
    String cassette = value(env, RunnerEnv.MODEL_CASSETTE);
    switch (provider) {
      case Model.OPENAI -> {
        if (name == null) {
          throw new IllegalArgumentException(
              "AGENT_MODEL_NAME is required with the openai provider (e.g. gpt-4o-mini)");
        }
      }
      case Model.REPLAY -> {
        if (cassette == null) {
          throw new IllegalArgumentException(
              "AGENT_MODEL_CASSETTE is required with the replay provider: the cassette's path");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "AGENT_MODEL_PROVIDER must be openai or replay, got '" + provider + "'");
    }
    Integer contextWindow = integer(env, RunnerEnv.MODEL_CONTEXT_WINDOW, 512);
    return new Model(
        provider,
        value(env, RunnerEnv.MODEL_BASE_URL) == null
            ? "https://api.openai.com/v1"
            : value(env, RunnerEnv.MODEL_BASE_URL),
        name == null ? Model.REPLAY : name,
        value(env, RunnerEnv.MODEL_API_KEY),
        temperature(env),
        integer(env, RunnerEnv.MODEL_MAX_OUTPUT_TOKENS, 1),
        contextWindow == null ? DEFAULT_CONTEXT_WINDOW : contextWindow,
        cassette == null ? null : Path.of(cassette),
        "true".equalsIgnoreCase(value(env, RunnerEnv.MODEL_GATEWAY)),
        retry(env));
  }

  /** The production retry policy with the pauses the environment sets. */
  private static RetryPolicy retry(Map<String, String> env) {
    RetryPolicy defaults = RetryPolicy.defaults();
    Integer initial = integer(env, RunnerEnv.MODEL_RETRY_BACKOFF_MS, 1);
    Integer max = integer(env, RunnerEnv.MODEL_RETRY_BACKOFF_MAX_MS, 1);
    Duration first = initial == null ? defaults.initialBackoff() : Duration.ofMillis(initial);
    Duration longest = max == null ? defaults.maxBackoff() : Duration.ofMillis(max);
    if (longest.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          RunnerEnv.MODEL_RETRY_BACKOFF_MAX_MS
              + " ("
              + longest.toMillis()
              + ") must not be shorter than "
              + RunnerEnv.MODEL_RETRY_BACKOFF_MS
              + " ("
              + first.toMillis()
              + ")");
    }
    return defaults.withBackoff(first, longest);
  }

  private static Double temperature(Map<String, String> env) {
    String value = value(env, RunnerEnv.MODEL_TEMPERATURE);
    if (value == null) {
      return null;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed < 0 || parsed > 2 || Double.isNaN(parsed)) {
        throw new IllegalArgumentException(
            "AGENT_MODEL_TEMPERATURE must be between 0 and 2, got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "AGENT_MODEL_TEMPERATURE must be a number, got '" + value + "'", e);
    }
  }

  private static Integer integer(Map<String, String> env, String name, int min) {
    String value = value(env, name);
    if (value == null) {
      return null;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
    }
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return "RunnerSettings[address="
        + address
        + ", token=<redacted>, executorSocket="
        + executorSocket
        + ", workspace="
        + workspace
        + ", model="
        + model
        + ", logFormat="
        + logFormat
        + ", publish="
        + publish
        + ", mcpServers="
        + mcpServers.stream().map(McpServerSpec::name).toList()
        + "]";
  }
}
