package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.runner.events.ConsoleReporter;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.OpenAiChatModel;
import dev.agentoperator.runner.llm.OpenAiSettings;
import dev.agentoperator.runner.llm.RetryPolicy;
import dev.agentoperator.runner.llm.WireFormat;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.testing.model.ScriptedModelServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A workspace, a state directory, a scripted model server, the real tool registry and a captured
 * stdout: what the loop tests build their runs from.
 */
final class LoopFixture implements AutoCloseable {

  static final String API_KEY = "sk-proj-TESTKEY-0123456789abcdefghij";

  final Path workspace;
  final Path state;
  final ScriptedModelServer server = new ScriptedModelServer();
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
  private final ExecutorService runThreads = Executors.newCachedThreadPool();
  private final List<AgentLoop> started = new CopyOnWriteArrayList<>();
  boolean stream;
  RetryPolicy retry =
      new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(1));
  int contextBudget = LoopConfig.DEFAULT_CONTEXT_BUDGET;
  ToolBox tools = inProcessTools();

  LoopFixture(Path root) {
    try {
      this.workspace = Files.createDirectories(root.resolve("workspace"));
      this.state = Files.createDirectories(root.resolve("state"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChatModel openAiModel() {
    OpenAiSettings settings =
        OpenAiSettings.of(server.baseUrl(), API_KEY).withStream(stream).withRetry(retry);
    return new OpenAiChatModel(settings, sleeps::add, Clock.systemUTC(), new Random(3));
  }

  LoopConfig config(ChatModel model) {
    return LoopConfig.of(model, "gpt-test", tools, workspace, state)
        .withRedactor(new Redactor(List.of(API_KEY)))
        .withContextTokenBudget(contextBudget);
  }

  AgentLoop loop(RunSpec spec) {
    return loop(config(openAiModel()), spec);
  }

  AgentLoop loop(LoopConfig config, RunSpec spec) {
    AgentLoop loop = new AgentLoop(config, spec);
    loop.events().addListener(new ConsoleReporter(out, ConsoleReporter.Format.TEXT));
    return loop;
  }

  static List<String> types(AgentLoop loop) {
    return loop.events().all().stream().map(RunEvent::type).toList();
  }

  static List<RunEvent> eventsOf(AgentLoop loop, String type) {
    return loop.events().all().stream().filter(e -> e.type().equals(type)).toList();
  }

  String stdout() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  Path runDir(String runUid) {
    return RunFiles.runDir(state, runUid);
  }

  /** The messages of the model request {@code number} (0-based), as the runner reads them. */
  List<ChatMessage> messagesOf(int number) {
    return WireFormat.requestMessages(server.requests().get(number));
  }

  /** Runs the loop on its own thread; {@link #close()} cancels whatever is still running. */
  CompletableFuture<RunResult> start(AgentLoop loop) {
    started.add(loop);
    return CompletableFuture.supplyAsync(loop::run, runThreads);
  }

  @Override
  public void close() {
    started.forEach(AgentLoop::cancel);
    runThreads.shutdownNow();
    server.close();
  }

  /** The standard tools run in this process: loop tests are about the loop, not the channel. */
  static ToolBox inProcessTools() {
    return inProcess(ToolRegistry.standard(ToolSettings.defaults()));
  }

  /**
   * Only the given tools, in this process: for tests whose token counts must not move whenever a
   * tool joins the standard set (their schemas are part of every request).
   */
  static ToolBox inProcessTools(Tool... tools) {
    return inProcess(ToolRegistry.of(ToolSettings.defaults(), List.of(tools)));
  }

  private static ToolBox inProcess(ToolRegistry registry) {
    return new RegistryToolBox(registry, registry::execute);
  }
}
