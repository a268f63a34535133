package dev.agentoperator.runner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.shell.ChildEnvironment;
import dev.agentoperator.runner.tools.shell.ProcessGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's long-lived relay mode, for MCP stdio servers: the runner's first frame asks for a
 * command ({@code {"relay": {"command": C, "args": [...], "env": {...}}}}), the executor starts it
 * here in the sandbox container (the agent's uid, the workspace as working directory, an
 * environment scrubbed of secrets plus the server's own {@code env}), answers one frame ({@code
 * {"started": true}} or {@code {"error": TEXT}}), and from then on the connection carries the
 * process's stdin (runner to sandbox) and stdout (sandbox to runner) as raw bytes. Closing the
 * connection kills the process tree; the process exiting closes the connection. Stderr goes to the
 * sandbox container's log, never to the runner.
 */
final class StdioRelay {

  private static final Logger LOG = LoggerFactory.getLogger(StdioRelay.class);
  private static final Optional<Path> SETSID = ProcessGroup.Executables.find("setsid");

  private StdioRelay() {}

  /** Whether a request frame asks for a relay rather than a tool call. */
  static boolean isRelay(JsonNode request) {
    return request.has("relay");
  }

  /** Serves one relay connection until either side ends it. */
  static void serve(SocketChannel connection, JsonNode request, Path workspace) throws IOException {
    JsonNode relay = request.path("relay");
    String command = relay.path("command").asText("");
    if (command.isBlank()) {
      answer(connection, "the relay request names no command");
      return;
    }
    ProcessBuilder builder =
        new ProcessBuilder(commandLine(command, relay.path("args")))
            .directory(workspace.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = builder.environment();
    ChildEnvironment.scrub(env, Set.of());
    relay.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    Optional<String> missing = missing(command, env.get("PATH"), workspace);
    if (missing.isPresent()) {
      // setsid would start and then fail to exec it: the runner would see only a server that
      // exited, so say here what is wrong
      answer(connection, missing.get());
      return;
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      answer(connection, "cannot start " + command + ": " + e.getMessage());
      return;
    }
    ObjectNode started = ExecutorFrames.JSON.createObjectNode().put("started", true);
    ExecutorFrames.write(connection, started);
    LOG.info("relay: started {} (pid {})", command, process.pid());
    Thread toProcess =
        Thread.ofVirtual()
            .name("relay-in")
            .start(
                () -> {
                  pump(Channels.newInputStream(connection), process.getOutputStream());
                  // The runner closed its end: the server must not outlive the relay.
                  kill(process);
                });
    try {
      pumpUntilEnd(process.getInputStream(), connection);
    } finally {
      kill(process);
      toProcess.interrupt();
      connection.close();
      LOG.info("relay: {} ended", command);
    }
  }

  /** Why {@code command} cannot be executed in this container, or empty when it can. */
  static Optional<String> missing(String command, String path, Path workspace) {
    if (command.contains("/")) {
      Path file = workspace.resolve(command);
      return Files.isRegularFile(file) && Files.isExecutable(file)
          ? Optional.empty()
          : Optional.of(
              command + " is not an executable file in the sandbox container; is it installed in"
                  + " the sandbox image?");
    }
    for (String dir : (path == null ? "" : path).split(":")) {
      Path candidate = dir.isEmpty() ? null : Path.of(dir, command);
      if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "no executable named "
            + command
            + " on the sandbox container's PATH ("
            + (path == null ? "unset" : path)
            + "); is it installed in the sandbox image?");
  }

  private static void kill(Process process) {
    try {
      ProcessGroup.kill(process, SETSID.isPresent());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> commandLine(String command, JsonNode args) {
    List<String> line = new ArrayList<>();
    // Its own process group, so closing the relay kills whatever the server started too.
    SETSID.ifPresent(setsid -> line.add(setsid.toString()));
    line.add(command);
    args.forEach(a -> line.add(a.asText()));
    return line;
  }

  /** Copies the runner's bytes into the process's stdin; the runner closing ends the relay. */
  private static void pump(InputStream from, OutputStream to) {
    byte[] buffer = new byte[8192];
    try (to) {
      int n;
      while ((n = from.read(buffer)) >= 0) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // either side went away: the relay is over
    }
  }

  /** Copies the process's stdout to the runner until it closes (the process exited). */
  private static void pumpUntilEnd(InputStream from, SocketChannel to) {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = from.read(buffer)) >= 0) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          to.write(chunk);
        }
      }
    } catch (IOException e) {
      // the runner closed the connection: the finally of serve kills the process
    }
  }

  private static void answer(SocketChannel connection, String error) throws IOException {
    ExecutorFrames.write(connection, ExecutorFrames.JSON.createObjectNode().put("error", error));
  }
}
