package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkspaceSettingsTest {

  @Test
  void shouldUseThePodLayoutByDefault() {
    WorkspaceSettings settings = WorkspaceSettings.fromEnv(Map.of());

    assertThat(settings.workspaceDir()).isEqualTo(Path.of("/data/workspace"));
    assertThat(settings.snapshotGitDir()).isEqualTo(Path.of("/data/state/snapshots.git"));
    assertThat(settings.runsDir()).isEqualTo(Path.of("/data/state/runs"));
    assertThat(settings.snapshotMaxFileBytes()).isEqualTo(10 * 1024 * 1024);
  }

  @Test
  void shouldReadPathsAndSizeCapFromTheEnvironment() {
    WorkspaceSettings settings =
        WorkspaceSettings.fromEnv(
            Map.of(
                "AGENT_WORKSPACE_DIR", "/vol/ws",
                "AGENT_STATE_DIR", "/vol/state",
                "AGENT_SNAPSHOT_MAX_FILE_BYTES", "2048"));

    assertThat(settings.workspaceDir()).isEqualTo(Path.of("/vol/ws"));
    assertThat(settings.snapshotGitDir()).isEqualTo(Path.of("/vol/state/snapshots.git"));
    assertThat(settings.snapshotMaxFileBytes()).isEqualTo(2048);
  }

  @Test
  void shouldRefuseAStateDirInsideTheWorkspace() {
    assertThatThrownBy(
            () ->
                WorkspaceSettings.fromEnv(
                    Map.of("AGENT_WORKSPACE_DIR", "/data", "AGENT_STATE_DIR", "/data/state")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain each other");
  }

  @Test
  void shouldRefuseANonPositiveSizeCap() {
    assertThatThrownBy(
            () -> WorkspaceSettings.fromEnv(Map.of("AGENT_SNAPSHOT_MAX_FILE_BYTES", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENT_SNAPSHOT_MAX_FILE_BYTES must be a positive number");
  }
}
