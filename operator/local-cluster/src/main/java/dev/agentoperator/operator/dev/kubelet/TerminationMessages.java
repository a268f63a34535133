package dev.agentoperator.operator.dev.kubelet;

import dev.agentoperator.operator.dev.storage.LocalStorage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The message a kubelet puts in a terminated container's state: what the container wrote to its
 * {@code terminationMessagePath} (a host file a runtime maps there), else, with {@code
 * terminationMessagePolicy: FallbackToLogsOnError} and a failed exit, the tail of its log. The
 * kubelet's bounds: 4096 bytes of the file, the last 80 lines or 2048 bytes of the log.
 */
final class TerminationMessages {

  static final int FILE_LIMIT = 4096;
  static final int LOG_LINES = 80;
  static final int LOG_BYTES = 2048;
  private static final String FALLBACK = "FallbackToLogsOnError";
  /** A container's log is written by a pump thread that may trail the exit by a few lines. */
  private static final Duration LOG_SETTLE = Duration.ofMillis(100);
  private static final int LOG_SETTLE_TRIES = 10;

  private final LocalStorage storage;

  TerminationMessages(LocalStorage storage) {
    this.storage = storage;
  }

  /**
   * The host file a runtime maps at {@code container}'s terminationMessagePath, created empty and
   * writable by any uid (the container's user is not known to the host).
   */
  Path hostFile(Pod pod, Container container) throws IOException {
    Path file = storage.podDir(pod).resolve("termination").resolve(container.getName());
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    return file;
  }

  /** The message of {@code container} that exited with {@code exitCode}; null when none. */
  String of(Pod pod, Container container, int exitCode) {
    Path file = storage.podDir(pod).resolve("termination").resolve(container.getName());
    String written = read(file, FILE_LIMIT);
    if (written != null && !written.isBlank()) {
      return written;
    }
    if (exitCode == 0 || !FALLBACK.equals(container.getTerminationMessagePolicy())) {
      return null;
    }
    String tail = tail(settled(storage.logFile(pod, container.getName())));
    return tail == null || tail.isBlank() ? null : tail;
  }

  /** The last {@link #LOG_LINES} lines of {@code log}, at most {@link #LOG_BYTES} bytes. */
  static String tail(Path log) {
    String text = readLast(log, LOG_BYTES);
    if (text == null) {
      return null;
    }
    List<String> lines = Arrays.asList(text.split("\n", -1));
    if (!lines.isEmpty() && lines.getLast().isEmpty()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
  }

  private static Path settled(Path log) {
    long size = -1;
    for (int i = 0; i < LOG_SETTLE_TRIES; i++) {
      long now = sizeOf(log);
      if (now == size) {
        break;
      }
      size = now;
      try {
        Thread.sleep(LOG_SETTLE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return log;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String read(Path file, int limit) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      return new String(bytes, 0, Math.min(bytes.length, limit), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static String readLast(Path file, int limit) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - limit);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
