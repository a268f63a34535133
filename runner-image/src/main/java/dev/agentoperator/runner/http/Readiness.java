package dev.agentoperator.runner.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether the runner can work: the workspace and state directories exist and are writable. */
public final class Readiness {

  private final Path workspace;
  private final Path stateDir;

  public Readiness(Path workspace, Path stateDir) {
    this.workspace = workspace;
    this.stateDir = stateDir;
  }

  /** The reason the runner is not ready, or empty when it is. */
  public Optional<String> problem() {
    return problem("workspace", workspace).or(() -> problem("state directory", stateDir));
  }

  private static Optional<String> problem(String what, Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.of("the " + what + " " + dir + " does not exist or is not a directory");
    }
    if (!Files.isWritable(dir)) {
      return Optional.of("the " + what + " " + dir + " is not writable by this process");
    }
    return Optional.empty();
  }
}
