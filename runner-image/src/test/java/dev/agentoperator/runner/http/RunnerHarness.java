package dev.agentoperator.runner.http;

import dev.agentoperator.runner.sandbox.ExecutorServer;
import dev.agentoperator.runner.serve.RunnerService;
import dev.agentoperator.runner.serve.RunnerSettings;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real runner service (HTTP server, run manager, loop, tools, snapshots) on a free loopback port
 * over a workspace and state directory, configured through the same environment variables the
 * sandbox pod sets, with the client the tests talk to it through.
 */
final class RunnerHarness extends ApiClient implements AutoCloseable {

  static final String API_KEY = "sk-model-key-9876543210-SECRET";

  final Path workspace;
  final Path stateDir;
  private final ByteArrayOutputStream console;
  private final RunnerService service;
  private final ExecutorServer executor;
  private volatile boolean abandoned;

  private RunnerHarness(
      Path workspace,
      Path stateDir,
      RunnerService service,
      ByteArrayOutputStream console,
      ExecutorServer executor) {
    super(service.address().getPort());
    this.executor = executor;
    this.workspace = workspace;
    this.stateDir = stateDir;
    this.service = service;
    this.console = console;
  }

  static RunnerHarness start(Path root, TurnScriptedModel model, Map<String, String> extraEnv)
      throws IOException {
    Path workspace = root.resolve("workspace");
    Path stateDir = root.resolve("state");
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_RUNNER_ADDRESS", "127.0.0.1:0");
    env.put("AGENT_RUNNER_TOKEN", TOKEN);
    env.put("AGENT_WORKSPACE_DIR", workspace.toString());
    env.put("AGENT_STATE_DIR", stateDir.toString());
    env.put("AGENT_MODEL_PROVIDER", "openai");
    env.put("AGENT_MODEL_BASE_URL", model.baseUrl());
    env.put("AGENT_MODEL_NAME", "scripted-model");
    env.put("AGENT_MODEL_API_KEY", API_KEY);
    env.put("AGENT_EXECUTOR_SOCKET", root.resolve("executor.sock").toString());
    env.putAll(extraEnv);
    Files.createDirectories(workspace);
    // The sandbox container's executor, in this JVM, on a real socket: every tool call crosses it.
    ExecutorServer executor =
        ExecutorServer.start(
            Path.of(env.get("AGENT_EXECUTOR_SOCKET")),
            ToolRegistry.standard(ToolSettings.defaults()),
            workspace);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    RunnerService service =
        RunnerService.start(
            RunnerSettings.fromEnv(env), new PrintStream(console, true, StandardCharsets.UTF_8));
    return new RunnerHarness(workspace, stateDir, service, console, executor);
  }

  RunnerService service() {
    return service;
  }

  /** What the service printed on its console so far. */
  String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  /** Stops serving HTTP and forgets the service, leaving its run as a crashed process would. */
  void abandon() {
    abandoned = true;
    service.stopServing();
  }

  boolean abandoned() {
    return abandoned;
  }

  @Override
  public void close() {
    service.close();
    executor.close();
  }
}
