package dev.agentoperator.runner.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.runner.tools.PreparedCall;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's side of the executor channel against a real executor on a real Unix socket, and
 * against executors that misbehave the way a hostile or broken sandbox would.
 */
class SandboxExecutorTest {

  @TempDir Path root;

  private final ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults());
  private Path workspace;
  private Path socket;
  private ToolContext runnerContext;
  private ExecutorServer server;

  @BeforeEach
  void setUp() throws IOException {
    workspace = Files.createDirectories(root.resolve("workspace"));
    socket = root.resolve("executor.sock");
    runnerContext = new ToolContext(workspace, root.resolve("state"), Set.of());
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldRunFileAndShellToolsInTheExecutor() throws Exception {
    server = ExecutorServer.start(socket, registry, workspace);

    ToolResult written =
        call("write_file", "{\"path\":\"notes/a.txt\",\"content\":\"hello from the sandbox\\n\"}");
    ToolResult shell = call("shell", "{\"command\":\"cat notes/a.txt && echo $((6*7))\"}");

    assertThat(written.error()).as(written.content()).isFalse();
    assertThat(Files.readString(workspace.resolve("notes/a.txt")))
        .isEqualTo("hello from the sandbox\n");
    assertThat(shell.error()).as(shell.content()).isFalse();
    assertThat(shell.content()).contains("hello from the sandbox").contains("42");
  }

  @Test
  void shouldRunTodoToolsInTheRunnerNotTheSandbox() throws Exception {
    // no executor at all: the todo list is the run's own record and never crosses the channel
    ToolResult result =
        call("todo_write", "{\"todos\":[{\"content\":\"write tests\",\"status\":\"pending\"}]}");

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content()).contains("write tests");
  }

  @Test
  void shouldRefuseRunnerToolsSentStraightToTheExecutor() throws Exception {
    server = ExecutorServer.start(socket, registry, workspace);
    PreparedCall todo =
        registry.prepare("todo_read", "{}");

    ToolResult result = executor(Duration.ofSeconds(2)).execute(todo, runnerContext);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("not a sandbox tool");
  }

  @Test
  void shouldReturnAToolErrorWhenNoExecutorListens() throws Exception {
    ToolResult result = call("shell", "{\"command\":\"echo hi\"}", Duration.ofMillis(200));

    assertThat(result.error()).isTrue();
    assertThat(result.content())
        .contains("shell did not run")
        .contains("tool executor is not reachable");
  }

  @Test
  void shouldRunNothingAndAnswerEveryCallWithTheRefusalWhenStartedRefusing() throws Exception {
    // given an executor started by a kubelet that cannot isolate it
    String refusal = "no isolation for the sandbox here: apt-get install bubblewrap";
    server = ExecutorServer.start(socket, registry, workspace, Optional.of(refusal));

    // when the agent runs a shell, writes a file and asks for a relay (an MCP stdio server)
    ToolResult shell = call("shell", "{\"command\":\"touch ran; env\"}");
    ToolResult write = call("write_file", "{\"path\":\"a.txt\",\"content\":\"x\"}");
    SandboxExecutor executor = executor(Duration.ofSeconds(5));

    // then each is a tool error with the refusal, and nothing ran
    assertThat(shell.error()).isTrue();
    assertThat(shell.content()).isEqualTo("shell did not run: " + refusal);
    assertThat(write.error()).isTrue();
    assertThat(write.content()).isEqualTo("write_file did not run: " + refusal);
    assertThatThrownBy(() -> executor.openRelay("sh", List.of("-c", "touch relayed"), Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(refusal);
    try (Stream<Path> files = Files.list(workspace)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void shouldSurviveARestartedSandboxContainer() throws Exception {
    server = ExecutorServer.start(socket, registry, workspace);
    assertThat(call("shell", "{\"command\":\"echo one\"}").content()).contains("one");

    server.close();
    ToolResult whileDown = call("shell", "{\"command\":\"echo lost\"}", Duration.ofMillis(200));
    server = ExecutorServer.start(socket, registry, workspace);
    ToolResult afterRestart = call("shell", "{\"command\":\"echo two\"}");

    assertThat(whileDown.error()).isTrue();
    assertThat(afterRestart.error()).as(afterRestart.content()).isFalse();
    assertThat(afterRestart.content()).contains("two");
  }

  @Test
  void shouldKillTheCommandWhenTheRunCancelsTheCall() throws Exception {
    server = ExecutorServer.start(socket, registry, workspace);
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    outcome.complete(call("shell", "{\"command\":\"echo $$ > pid; sleep 60\"}"));
                  } catch (InterruptedException e) {
                    outcome.complete(e);
                  } catch (Exception e) {
                    outcome.completeExceptionally(e);
                  }
                });
    Path pidFile = workspace.resolve("pid");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(pidFile) > 0);
    long pid = Long.parseLong(Files.readString(pidFile).strip());

    caller.interrupt();

    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void shouldNotFollowASocketLinkTheAgentPlantedInTheSharedDirectory() throws Exception {
    // given the real executor elsewhere, and the agent's link in the shared socket directory
    Path elsewhere = root.resolve("runner-only.sock");
    server = ExecutorServer.start(elsewhere, registry, workspace);
    Files.createSymbolicLink(socket, elsewhere);

    ToolResult result = call("shell", "{\"command\":\"echo followed\"}");

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("is a symbolic link").doesNotContain("followed\n");
  }

  @Test
  void shouldCapAnAnswerThatClaimsToBeHuge() throws Exception {
    fakeExecutor(channel -> write(channel, ByteBuffer.allocate(4).putInt(512 * 1024 * 1024)));

    ToolResult result = call("shell", "{\"command\":\"true\"}");

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("exceeds the cap");
  }

  @Test
  void shouldRejectAMalformedAnswer() throws Exception {
    byte[] body = "{\"content\":42}".getBytes(StandardCharsets.UTF_8);
    fakeExecutor(
        channel -> write(channel, ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body)));

    ToolResult result = call("shell", "{\"command\":\"true\"}");

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("malformed answer");
  }

  @Test
  void shouldStopWaitingForAnExecutorThatNeverAnswers() throws Exception {
    fakeExecutor(channel -> {});

    PreparedCall call = registry.prepare("shell", "{\"command\":\"true\",\"timeout_seconds\":1}");
    ToolResult result =
        new SandboxExecutor(socket, Duration.ofSeconds(2), Duration.ofMillis(100))
            .execute(call, runnerContext);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("gave no answer within");
  }

  private ToolResult call(String tool, String arguments) throws Exception {
    return call(tool, arguments, Duration.ofSeconds(5));
  }

  private ToolResult call(String tool, String arguments, Duration connectWait) throws Exception {
    PreparedCall call = registry.prepare(tool, arguments);
    assertThat(call.isValid()).as(call.toString()).isTrue();
    return registry.execute(call, runnerContext, executor(connectWait));
  }

  private SandboxExecutor executor(Duration connectWait) {
    return new SandboxExecutor(socket, connectWait);
  }

  /** A sandbox whose executor the agent replaced: it reads the request, then does {@code reply}. */
  private void fakeExecutor(Consumer<SocketChannel> reply) throws IOException {
    ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    fake.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofVirtual()
        .start(
            () -> {
              try (fake;
                  SocketChannel channel = fake.accept()) {
                ExecutorFrames.read(channel, ExecutorFrames.MAX_REQUEST_BYTES);
                reply.accept(channel);
                channel.read(ByteBuffer.allocate(1));
              } catch (IOException e) {
                // the runner hung up
              }
            });
  }

  private static void write(SocketChannel channel, ByteBuffer buffer) {
    try {
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
