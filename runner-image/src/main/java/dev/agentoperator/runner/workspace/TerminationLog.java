package dev.agentoperator.runner.workspace;

import dev.agentoperator.contract.runner.RunnerEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The container's termination message: the kubelet creates the file ({@code
 * terminationMessagePath}, default {@code /dev/termination-log}) and shows its content as the
 * container's {@code state.terminated.message}, so a failed init container says why in the pod's
 * status, not only in its log. Written only when the file exists: outside a pod nothing is created.
 */
public final class TerminationLog {

  /** Overrides the path (tests; a pod with another terminationMessagePath). */
  public static final String PATH_ENV = RunnerEnv.TERMINATION_LOG;

  static final String DEFAULT_PATH = "/dev/termination-log";

  // The kubelet keeps at most 4 KiB of the message.
  private static final int MAX_BYTES = 4096;

  private final Path file;

  public TerminationLog(Path file) {
    this.file = file;
  }

  public static TerminationLog fromEnv(Map<String, String> env) {
    return new TerminationLog(Path.of(env.getOrDefault(PATH_ENV, DEFAULT_PATH)));
  }

  /** Writes {@code message} as the termination message; a log that cannot be written is skipped. */
  public void write(String message) {
    if (!Files.exists(file) || Files.isDirectory(file)) {
      return;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(bytes.length, MAX_BYTES);
    try {
      Files.write(
          file,
          java.util.Arrays.copyOf(bytes, length),
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | UnsupportedOperationException e) {
      // The reason is on stderr already; a missing termination message must not hide it.
    }
  }
}
