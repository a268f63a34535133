package dev.agentoperator.runner.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.runner.http.BearerToken;
import dev.agentoperator.runner.llm.OpenAiChatModel;
import dev.agentoperator.runner.llm.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_RUNNER_TOKEN", "a-long-runner-token-123");
    env.put("AGENT_MODEL_NAME", "gpt-test");
    env.put("AGENT_EXECUTOR_SOCKET", "/run/agent/executor.sock");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void shouldUseTheDocumentedDefaults() {
    // when
    RunnerSettings settings = RunnerSettings.fromEnv(env());

    // then
    assertThat(settings.address().getPort()).isEqualTo(8080);
    assertThat(settings.address().getHostString()).isEqualTo("0.0.0.0");
    assertThat(settings.workspace().workspaceDir()).isEqualTo(Path.of("/data/workspace"));
    assertThat(settings.workspace().stateDir()).isEqualTo(Path.of("/data/state"));
    assertThat(settings.model().provider()).isEqualTo("openai");
    assertThat(settings.model().baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(settings.model().contextWindow()).isEqualTo(100_000);
    assertThat(settings.model().temperature()).isNull();
    assertThat(settings.model().retry()).isEqualTo(RetryPolicy.defaults());
  }

  @Test
  void shouldTakeTheModelRetryPausesFromTheEnvironmentAndKeepTheOtherLimits() {
    // when
    RunnerSettings settings =
        RunnerSettings.fromEnv(
            env("AGENT_MODEL_RETRY_BACKOFF_MS", "20", "AGENT_MODEL_RETRY_BACKOFF_MAX_MS", "80"));

    // then
    RetryPolicy retry = settings.model().retry();
    assertThat(retry.initialBackoff()).isEqualTo(Duration.ofMillis(20));
    assertThat(retry.maxBackoff()).isEqualTo(Duration.ofMillis(80));
    assertThat(retry.maxAttempts()).isEqualTo(RetryPolicy.defaults().maxAttempts());
    assertThat(retry.maxTotal()).isEqualTo(RetryPolicy.defaults().maxTotal());
    OpenAiChatModel client = (OpenAiChatModel) RunnerService.models(settings.model()).forRun(0);
    assertThat(client.settings().retry()).isEqualTo(retry);
  }

  @Test
  void shouldRefuseToStartWithARetryPauseThatIsNotAPositiveWholeNumberOrIsInverted() {
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_RETRY_BACKOFF_MS", "1s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENT_MODEL_RETRY_BACKOFF_MS must be a whole number, got '1s'");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_RETRY_BACKOFF_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENT_MODEL_RETRY_BACKOFF_MS must be at least 1, got 0");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_RETRY_BACKOFF_MAX_MS", "-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENT_MODEL_RETRY_BACKOFF_MAX_MS must be at least 1");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_RETRY_BACKOFF_MS", "60000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "AGENT_MODEL_RETRY_BACKOFF_MAX_MS (30000) must not be shorter than"
                + " AGENT_MODEL_RETRY_BACKOFF_MS (60000)");
  }

  @Test
  void shouldRefuseToStartWithoutAToken() {
    Map<String, String> env = env();
    env.remove("AGENT_RUNNER_TOKEN");

    assertThatThrownBy(() -> RunnerSettings.fromEnv(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENT_RUNNER_TOKEN is required");
  }

  @Test
  void shouldRefuseToStartWithoutTheSandboxExecutorSocket() {
    Map<String, String> env = env();
    env.remove("AGENT_EXECUTOR_SOCKET");

    assertThatThrownBy(() -> RunnerSettings.fromEnv(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENT_EXECUTOR_SOCKET is required")
        .hasMessageContaining("tools never run in the runner container");
  }

  @Test
  void shouldNameTheVariableWhoseValueIsWrong() {
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_RUNNER_ADDRESS", "8080")))
        .hasMessageContaining("AGENT_RUNNER_ADDRESS");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_TEMPERATURE", "hot")))
        .hasMessageContaining("AGENT_MODEL_TEMPERATURE");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_PROVIDER", "anthropic")))
        .hasMessageContaining("openai or replay");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_PROVIDER", "replay")))
        .hasMessageContaining("AGENT_MODEL_CASSETTE");
    assertThatThrownBy(() -> RunnerSettings.fromEnv(env("AGENT_MODEL_CONTEXT_WINDOW", "100")))
        .hasMessageContaining("at least 512");
  }

  @Test
  void shouldNeverShowTheTokenOrTheModelKey() {
    // when
    String text =
        RunnerSettings.fromEnv(env("AGENT_MODEL_API_KEY", "sk-very-secret-key-42")).toString();

    // then
    assertThat(text)
        .doesNotContain("a-long-runner-token-123")
        .doesNotContain("sk-very-secret-key-42");
  }

  @Test
  void shouldParseAnIpv6ListenAddress() {
    assertThat(RunnerSettings.address("[::1]:9090").getPort()).isEqualTo(9090);
    assertThat(RunnerSettings.address("[::1]:9090").getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void shouldAcceptOnlyTheExactBearerToken() {
    BearerToken token = new BearerToken("a-long-runner-token-123");

    assertThat(token.accepts("Bearer a-long-runner-token-123")).isTrue();
    assertThat(token.accepts("bearer a-long-runner-token-123")).isTrue();
    assertThat(token.accepts("Bearer a-long-runner-token-12")).isFalse();
    assertThat(token.accepts("Bearer a-long-runner-token-1234")).isFalse();
    assertThat(token.accepts("a-long-runner-token-123")).isFalse();
    assertThat(token.accepts(null)).isFalse();
    assertThat(token.toString()).doesNotContain("a-long-runner-token-123");
  }
}
