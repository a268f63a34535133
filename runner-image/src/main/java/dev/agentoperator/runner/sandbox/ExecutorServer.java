package dev.agentoperator.runner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.PreparedCall;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sandbox} container's tool executor: listens on a Unix socket in the emptyDir it shares
 * with the runner and runs each call it receives with the standard tools over the workspace. It
 * holds nothing worth stealing: no token, no key, no state, so whoever reaches the socket (the agent
 * itself, from a shell call) gains only what its tools already give it. When the runner closes a
 * connection before the answer, the call is cancelled (its processes killed). A connection may
 * instead ask for a relay to a long-lived process (an MCP stdio server; see {@link StdioRelay}).
 */
public final class ExecutorServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorServer.class);

  private final ServerSocketChannel server;
  private final ToolRegistry registry;
  private final ToolContext context;
  private final Optional<String> refusal;
  private final Thread acceptor;

  private ExecutorServer(
      ServerSocketChannel server,
      ToolRegistry registry,
      ToolContext context,
      Optional<String> refusal) {
    this.server = server;
    this.registry = registry;
    this.context = context;
    this.refusal = refusal;
    this.acceptor = Thread.ofPlatform().name("executor-accept").unstarted(this::accept);
  }

  /** Binds {@code socket} (replacing a stale one from a previous container) and serves. */
  public static ExecutorServer start(Path socket, ToolRegistry registry, Path workspace)
      throws IOException {
    return start(socket, registry, workspace, Optional.empty());
  }

  /**
   * As {@link #start(Path, ToolRegistry, Path)}; with a {@code refusal}, the executor runs nothing:
   * every tool call is a tool error with that text, and every relay is refused with it (a kubelet
   * that cannot isolate this container says so, and no agent-chosen code runs unisolated).
   */
  public static ExecutorServer start(
      Path socket, ToolRegistry registry, Path workspace, Optional<String> refusal)
      throws IOException {
    Files.createDirectories(socket.toAbsolutePath().getParent());
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    ToolContext context =
        new ToolContext(
            workspace, Path.of(System.getProperty("java.io.tmpdir")), Set.of());
    ExecutorServer executor = new ExecutorServer(server, registry, context, refusal);
    executor.acceptor.start();
    if (refusal.isPresent()) {
      LOG.warn("tool executor on {} refuses every call: {}", socket, refusal.get());
    } else {
      LOG.info("tool executor listening on {} (workspace {})", socket, workspace);
    }
    return executor;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel connection = server.accept();
        Thread.ofVirtual().name("executor-call").start(() -> serve(connection));
      } catch (IOException e) {
        if (server.isOpen()) {
          LOG.warn("tool executor: accept failed: {}", e.getMessage());
        }
      }
    }
  }

  private void serve(SocketChannel connection) {
    try (connection) {
      JsonNode request = ExecutorFrames.read(connection, ExecutorFrames.MAX_REQUEST_BYTES);
      if (refusal.isPresent()) {
        ExecutorFrames.write(connection, refused(request, refusal.get()));
        return;
      }
      if (StdioRelay.isRelay(request)) {
        StdioRelay.serve(connection, request, context.workspace());
        return;
      }
      ToolResult result = runCancellable(connection, request);
      if (result != null) {
        ObjectNode answer = ExecutorFrames.JSON.createObjectNode();
        answer.put("content", result.content());
        answer.put("error", result.error());
        ExecutorFrames.write(connection, answer);
      }
    } catch (IOException e) {
      LOG.debug("tool executor: connection ended: {}", e.getMessage());
    }
  }

  /** The answer of a refusing executor: a relay's error frame, or a tool error. */
  private static ObjectNode refused(JsonNode request, String refusal) {
    if (StdioRelay.isRelay(request)) {
      return ExecutorFrames.JSON.createObjectNode().put("error", refusal);
    }
    String tool = request.path("tool").asText("the tool");
    return ExecutorFrames.JSON
        .createObjectNode()
        .put("content", tool + " did not run: " + refusal)
        .put("error", true);
  }

  /** Runs the call on its own thread; the peer closing the connection interrupts it. */
  private ToolResult runCancellable(SocketChannel connection, JsonNode request) {
    String toolName = request.path("tool").asText(null);
    JsonNode arguments = request.path("arguments");
    PreparedCall call =
        registry.prepare(toolName, arguments.isMissingNode() ? "" : arguments.toString());
    if (call.isValid() && call.tool().placement() != Tool.Placement.SANDBOX) {
      return ToolResult.error(toolName + " is not a sandbox tool; the runner runs it");
    }
    AtomicReference<ToolResult> result = new AtomicReference<>();
    Thread worker =
        Thread.ofVirtual()
            .name("executor-" + toolName)
            .start(
                () -> {
                  try {
                    result.set(registry.execute(call, context));
                  } catch (InterruptedException e) {
                    // cancelled by the runner: the tool stopped its processes, nothing to answer
                  }
                });
    // Not interrupted when the call ends: interrupting a blocked channel read closes the channel,
    // and the answer still has to go out. Closing the connection after it ends the watcher.
    Thread.ofVirtual().name("executor-cancel").start(() -> awaitClose(connection, worker));
    try {
      worker.join();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
    }
    return result.get();
  }

  /** Blocks until the runner closes its end (or sends more, which it never does): then cancels. */
  private static void awaitClose(SocketChannel connection, Thread worker) {
    try {
      connection.read(ByteBuffer.allocate(1));
    } catch (IOException e) {
      // closed from our side after answering, or interrupted: either way the call is over
      return;
    }
    worker.interrupt();
  }

  /**
   * Stops accepting calls. Returns once the acceptor is gone: closing a channel that a thread is
   * blocked on only completes when that thread leaves {@code accept}, and until then the socket
   * still takes connections that nobody will answer.
   */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("tool executor: close failed: {}", e.getMessage());
    }
    acceptor.interrupt();
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
