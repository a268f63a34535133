package dev.agentoperator.runner.workspace;

import dev.agentoperator.contract.runner.RunnerEnv;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the workspace and the runner's state live on the pod's volume, and the snapshot size cap.
 *
 * <p>Environment variables (defaults in brackets): {@code AGENT_WORKSPACE_DIR} [{@code
 * /data/workspace}], {@code AGENT_STATE_DIR} [{@code /data/state}], {@code
 * AGENT_SNAPSHOT_MAX_FILE_BYTES} [10485760, files larger than this are left out of snapshots].
 */
public record WorkspaceSettings(Path workspaceDir, Path stateDir, long snapshotMaxFileBytes) {

  public static final String WORKSPACE_DIR_ENV = RunnerEnv.WORKSPACE_DIR;
  public static final String STATE_DIR_ENV = RunnerEnv.STATE_DIR;
  public static final String SNAPSHOT_MAX_FILE_BYTES_ENV = RunnerEnv.SNAPSHOT_MAX_FILE_BYTES;

  public static final Path DEFAULT_WORKSPACE_DIR = Path.of("/data/workspace");
  public static final Path DEFAULT_STATE_DIR = Path.of("/data/state");
  public static final long DEFAULT_SNAPSHOT_MAX_FILE_BYTES = 10L * 1024 * 1024;

  public WorkspaceSettings {
    workspaceDir = workspaceDir.toAbsolutePath().normalize();
    stateDir = stateDir.toAbsolutePath().normalize();
    if (snapshotMaxFileBytes <= 0) {
      throw new IllegalArgumentException(
          SNAPSHOT_MAX_FILE_BYTES_ENV
              + " must be a positive number of bytes, got "
              + snapshotMaxFileBytes);
    }
    if (workspaceDir.equals(stateDir)
        || workspaceDir.startsWith(stateDir)
        || stateDir.startsWith(workspaceDir)) {
      throw new IllegalArgumentException(
          "workspace "
              + workspaceDir
              + " and state dir "
              + stateDir
              + " must not contain each other: the agent must not reach its own transcripts and"
              + " snapshots");
    }
  }

  /** Settings with the default size cap. */
  public WorkspaceSettings(Path workspaceDir, Path stateDir) {
    this(workspaceDir, stateDir, DEFAULT_SNAPSHOT_MAX_FILE_BYTES);
  }

  /** Reads the settings from environment variables, using the defaults for unset ones. */
  public static WorkspaceSettings fromEnv(Map<String, String> env) {
    return new WorkspaceSettings(
        pathOrDefault(env, WORKSPACE_DIR_ENV, DEFAULT_WORKSPACE_DIR),
        pathOrDefault(env, STATE_DIR_ENV, DEFAULT_STATE_DIR),
        bytesOrDefault(env, SNAPSHOT_MAX_FILE_BYTES_ENV, DEFAULT_SNAPSHOT_MAX_FILE_BYTES));
  }

  /** The git directory holding the snapshots: {@code <state>/snapshots.git}. */
  public Path snapshotGitDir() {
    return stateDir.resolve("snapshots.git");
  }

  /** Per-run state (transcripts, checkpoints, events): {@code <state>/runs}. */
  public Path runsDir() {
    return stateDir.resolve("runs");
  }

  private static Path pathOrDefault(Map<String, String> env, String name, Path fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Path.of(value.strip());
  }

  private static long bytesOrDefault(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number of bytes, got '" + value.strip() + "'", e);
    }
  }
}
