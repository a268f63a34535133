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
public final class ProcessGroup {

  private static final Optional<Path> KILL = Executables.find("kill");
  private static final Optional<Path> BASH = Executables.find("bash");

  private ProcessGroup() {}

  /** Kills the process, its process group (if it leads one) and all its descendants. */
  public static void kill(Process process, boolean ownGroup) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    if (ownGroup) {
      killGroup(process.pid());
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(2, TimeUnit.SECONDS);
  }

  /**
   * Sends SIGKILL to a process group, e.g. what is left of it after its leader exited (background
   * jobs); true when at least one process was signalled.
   */
  static boolean killGroup(long groupId) throws InterruptedException {
    return signalGroup("-KILL", groupId);
  }

  /** Whether any process is still in the group (signal 0 checks without signalling). */
  static boolean groupHasMembers(long groupId) throws InterruptedException {
    return signalGroup("-0", groupId);
  }

  private static boolean signalGroup(String signal, long groupId) throws InterruptedException {
    List<String> command;
    if (KILL.isPresent()) {
      command = List.of(KILL.get().toString(), signal, "--", "-" + groupId);
    } else if (BASH.isPresent()) {
      // Slim images may lack procps; bash's builtin kill can signal a group too.
      command = List.of(BASH.get().toString(), "-c", "kill " + signal + " -- -" + groupId);
    } else {
      return false;
    }
    try {
      Process kill =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return kill.waitFor(2, TimeUnit.SECONDS) && kill.exitValue() == 0;
    } catch (IOException e) {
      // No way to signal the group; destroying the descendants is the fallback.
      return false;
    }
  }

  /** Finds programs on the PATH. */
  public static final class Executables {

    private Executables() {}

    public static Optional<Path> find(String name) {
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
