package dev.agentoperator.runner.tools.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Kills a command and everything it started. The command runs as the leader of its own process
 * group (started through {@code setsid}), so a SIGKILL to the group also reaches grandchildren that
 * were re-parented away from the tree; {@link ProcessHandle#descendants()} covers the rest, and the
 * only case when {@code setsid} is missing.
 */
final class ProcessTree {

  private static final Optional<Path> KILL = Executables.find("kill");

  private ProcessTree() {}

  /** Kills the process, its process group (if it leads one) and all its descendants. */
  static void kill(Process process, boolean ownGroup) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    if (ownGroup) {
      killGroup(process.pid());
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(2, TimeUnit.SECONDS);
  }

  /** Kills what is left of the process group after its leader exited (background jobs). */
  static void killGroup(long groupId) throws InterruptedException {
    if (KILL.isEmpty()) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder(KILL.get().toString(), "-KILL", "--", "-" + groupId)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // No way to signal the group; destroying the descendants is the fallback.
    }
  }

  /** Finds programs on the PATH. */
  static final class Executables {

    private Executables() {}

    static Optional<Path> find(String name) {
      String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
      for (String dir : path.split(":")) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    }
  }
}
