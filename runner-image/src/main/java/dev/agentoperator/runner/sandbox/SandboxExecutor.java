package dev.agentoperator.runner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.PreparedCall;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolExecutor;
import dev.agentoperator.runner.tools.ToolResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The runner's side of the executor channel: sends each sandbox tool call over the Unix socket that
 * the {@code sandbox} container's {@link ExecutorServer} listens on, and treats the answer as
 * untrusted input: its size is capped, its time bounded by the tool's own limit plus a grace, and a
 * missing, dead, hung or restarted executor is a tool error the model reads, never a failed run.
 */
public final class SandboxExecutor implements ToolExecutor {

  /** What a call may take beyond its tool's own limit (process start, output drain). */
  static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

  private static final int RELAY_ANSWER_BYTES = 64 * 1024;
  private static final Duration CONNECT_RETRY = Duration.ofMillis(50);
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("executor-watchdog").factory());

  private final Path socket;
  private final Duration connectWait;
  private final Duration answerGrace;

  /**
   * @param socket the executor's socket
   * @param connectWait how long to keep trying while the socket is missing or refuses (the
   *     sandbox container is starting or restarting)
   */
  public SandboxExecutor(Path socket, Duration connectWait) {
    this(socket, connectWait, ANSWER_GRACE);
  }

  SandboxExecutor(Path socket, Duration connectWait, Duration answerGrace) {
    this.socket = socket;
    this.connectWait = connectWait;
    this.answerGrace = answerGrace;
  }

  @Override
  public ToolResult execute(PreparedCall call, ToolContext context) throws InterruptedException {
    Duration limit = call.tool().timeLimit(call.arguments()).plus(answerGrace);
    if (Files.isSymbolicLink(socket)) {
      // The socket's directory is shared with the sandbox: a link there would lead the runner to
      // whatever socket its own container has at the link's target.
      return ToolResult.error(
          call.toolName() + " did not run: the executor socket " + socket + " is a symbolic link");
    }
    SocketChannel channel = connect();
    if (channel == null) {
      return ToolResult.error(
          call.toolName()
              + " did not run: the sandbox container's tool executor is not reachable (no answer"
              + " on its socket within "
              + connectWait.toSeconds()
              + " s); it may be restarting, try again shortly");
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        WATCHDOG.schedule(
            () -> {
              timedOut.set(true);
              closeQuietly(channel);
            },
            limit.toMillis(),
            TimeUnit.MILLISECONDS);
    try (channel) {
      ObjectNode request = ExecutorFrames.JSON.createObjectNode();
      request.put("tool", call.toolName());
      request.set("arguments", call.arguments());
      ExecutorFrames.write(channel, request);
      return answer(call, ExecutorFrames.read(channel, ExecutorFrames.MAX_ANSWER_BYTES));
    } catch (ClosedByInterruptException e) {
      // Closing the connection is the cancel signal: the executor kills the call's processes.
      throw new InterruptedException(call.toolName() + " cancelled");
    } catch (AsynchronousCloseException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException(call.toolName() + " cancelled");
      }
      return ToolResult.error(
          call.toolName()
              + " gave no answer within "
              + limit.toSeconds()
              + " s: the runner stopped waiting for the sandbox and cancelled the call");
    } catch (IOException e) {
      if (timedOut.get()) {
        return ToolResult.error(
            call.toolName() + " gave no answer within " + limit.toSeconds() + " s");
      }
      return ToolResult.error(
          call.toolName()
              + " failed in the sandbox: the executor broke off ("
              + e.getMessage()
              + "); the call may or may not have taken effect");
    } finally {
      deadline.cancel(false);
    }
  }

  /**
   * Opens a relay to {@code command} started in the sandbox container (see {@link StdioRelay}):
   * once this returns, the channel carries the process's stdin and stdout; closing it kills the
   * process. Throws {@link IOException} with a message for people when the executor is not
   * reachable or cannot start the command.
   */
  public SocketChannel openRelay(String command, List<String> args, Map<String, String> env)
      throws IOException, InterruptedException {
    if (Files.isSymbolicLink(socket)) {
      throw new IOException("the executor socket " + socket + " is a symbolic link");
    }
    SocketChannel channel = connect();
    if (channel == null) {
      throw new IOException(
          "the sandbox container's tool executor is not reachable (no answer on its socket within "
              + connectWait.toSeconds()
              + " s)");
    }
    try {
      ObjectNode relay = ExecutorFrames.JSON.createObjectNode();
      relay.put("command", command);
      args.forEach(relay.putArray("args")::add);
      ObjectNode envNode = relay.putObject("env");
      env.forEach(envNode::put);
      ExecutorFrames.write(channel, ExecutorFrames.JSON.createObjectNode().set("relay", relay));
      JsonNode answer = ExecutorFrames.read(channel, RELAY_ANSWER_BYTES);
      if (!answer.path("started").asBoolean(false)) {
        throw new IOException(
            answer.path("error").asText("the executor refused to start " + command));
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static ToolResult answer(PreparedCall call, JsonNode answer) {
    JsonNode content = answer.get("content");
    JsonNode error = answer.get("error");
    if (content == null || !content.isTextual() || error == null || !error.isBoolean()) {
      return ToolResult.error(
          call.toolName() + " failed in the sandbox: the executor sent a malformed answer");
    }
    return new ToolResult(content.asText(), error.asBoolean());
  }

  /** A connected channel, or null when the executor did not accept within {@link #connectWait}. */
  private SocketChannel connect() throws InterruptedException {
    long giveUp = System.nanoTime() + connectWait.toNanos();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
    while (true) {
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(address);
        return channel;
      } catch (ClosedByInterruptException e) {
        throw new InterruptedException("cancelled while connecting to the sandbox");
      } catch (IOException e) {
        closeQuietly(channel);
        if (System.nanoTime() - giveUp >= 0) {
          return null;
        }
        Thread.sleep(CONNECT_RETRY.toMillis());
      }
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do: the connection is gone either way
    }
  }

  @Override
  public String toString() {
    return "SandboxExecutor[" + socket + "]";
  }
}
