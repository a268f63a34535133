package dev.agentoperator.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void shouldUseTheDocumentedDefaultsForAnEmptyEnvironment() {
    OperatorConfig config = OperatorConfig.fromEnv(Map.of());

    assertThat(config.namespaces()).isEmpty();
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.runnerImage()).isEqualTo("ghcr.io/agentoperator/agent-runner:0.1.0");
    assertThat(config.runnerPort()).isEqualTo(8080);
    assertThat(config.operatorPodLabels())
        .containsExactly(Map.entry("app.kubernetes.io/name", "agent-operator"));
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.statusWriteInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.metricsPort()).isEqualTo(8081);
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaseName()).isEqualTo("agent-operator-leader");
    assertThat(config.leaseNamespace()).isEmpty();
    assertThat(config.logFormat()).isEqualTo(LogFormat.text);
    assertThat(config.defaultWorkspaceSize()).isEqualTo("1Gi");
    assertThat(config.podRecreateBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.podRecreateBackoffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.defaultRunnerResources().getLimits().get("memory").toString())
        .isEqualTo("2Gi");
  }

  @Test
  void shouldReadEveryVariableThatIsSet() {
    OperatorConfig config =
        OperatorConfig.fromEnv(
            Map.ofEntries(
                Map.entry("AGENT_OPERATOR_NAMESPACES", "team-a, team-b"),
                Map.entry("AGENT_OPERATOR_RUNNER_IMAGE", "registry.local/runner:dev"),
                Map.entry("AGENT_OPERATOR_RUNNER_MEMORY_LIMIT", "4Gi"),
                Map.entry("AGENT_OPERATOR_RUNNER_PORT", "18080"),
                Map.entry("AGENT_OPERATOR_POD_SELECTOR", "app=op,tier=control"),
                Map.entry("AGENT_OPERATOR_MAX_ATTEMPTS", "5"),
                Map.entry("AGENT_OPERATOR_STATUS_WRITE_INTERVAL", "250ms"),
                Map.entry("AGENT_OPERATOR_METRICS_PORT", "0"),
                Map.entry("AGENT_OPERATOR_LEADER_ELECTION", "TRUE"),
                Map.entry("AGENT_OPERATOR_LEASE_NAMESPACE", "agents-system"),
                Map.entry("AGENT_OPERATOR_LOG_FORMAT", "json"),
                Map.entry("AGENT_OPERATOR_WORKSPACE_SIZE", "10Gi"),
                Map.entry("AGENT_OPERATOR_POD_RECREATE_BACKOFF", "1s")));

    assertThat(config.namespaces()).containsExactly("team-a", "team-b");
    assertThat(config.runnerImage()).isEqualTo("registry.local/runner:dev");
    assertThat(config.runnerMemoryLimit()).isEqualTo("4Gi");
    assertThat(config.runnerPort()).isEqualTo(18080);
    assertThat(config.operatorPodLabels())
        .containsEntry("app", "op")
        .containsEntry("tier", "control");
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.statusWriteInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.metricsPort()).isZero();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseNamespace()).isEqualTo(Optional.of("agents-system"));
    assertThat(config.logFormat()).isEqualTo(LogFormat.json);
    assertThat(config.defaultWorkspaceSize()).isEqualTo("10Gi");
    assertThat(config.podRecreateBackoff()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shouldNameTheVariableAndItsDefaultWhenAValueIsInvalid() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_MAX_ATTEMPTS", "zero")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("AGENT_OPERATOR_MAX_ATTEMPTS='zero' is invalid")
        .hasMessageContaining("default: '3'");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_RUNNER_PORT", "70000")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("AGENT_OPERATOR_RUNNER_PORT");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_LOG_FORMAT", "xml")))
        .hasMessageContaining("must be text or json");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_WORKSPACE_SIZE", "lots")))
        .hasMessageContaining("AGENT_OPERATOR_WORKSPACE_SIZE");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_POD_SELECTOR", "noequals")))
        .hasMessageContaining("key=value");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_NAMESPACES", "Team_A")))
        .hasMessageContaining("not a namespace name");
  }

  @Test
  void shouldRefuseABackoffCeilingBelowTheFirstBackoff() {
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnv(
                    Map.of(
                        "AGENT_OPERATOR_POD_RECREATE_BACKOFF", "1m",
                        "AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX", "10s")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("AGENT_OPERATOR_POD_RECREATE_BACKOFF_MAX");
  }
}
