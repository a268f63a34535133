package dev.agentoperator.operator.dev.kubelet;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A container's output as a kubelet keeps it: appended to the container's log file in the pod's
 * directory and echoed line by line to a {@link LogSink}, whichever runtime runs the container.
 */
final class ContainerLogs {

  private final LogSink sink;

  ContainerLogs(LogSink sink) {
    this.sink = sink;
  }

  /** Follows {@code process}'s output (stdout and stderr merged) on a virtual thread. */
  void follow(Process process, Path log, String pod, String container) throws IOException {
    Files.createDirectories(log.getParent());
    Thread.ofVirtual()
        .name("logs-" + pod + "-" + container)
        .start(() -> pump(process, log, pod, container));
  }

  private void pump(Process process, Path log, String pod, String container) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        sink.line(pod, container, line);
      }
    } catch (IOException e) {
      // the process went away with its pipe; its exit is reported by the pod
    }
  }
}
