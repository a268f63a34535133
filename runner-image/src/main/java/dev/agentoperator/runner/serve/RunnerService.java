package dev.agentoperator.runner.serve;

import dev.agentoperator.runner.events.ConsoleReporter;
import dev.agentoperator.runner.http.ApiServer;
import dev.agentoperator.runner.http.BearerToken;
import dev.agentoperator.runner.http.Readiness;
import dev.agentoperator.runner.llm.Cassette;
import dev.agentoperator.runner.llm.OpenAiChatModel;
import dev.agentoperator.runner.llm.OpenAiSettings;
import dev.agentoperator.runner.llm.TokenCounter;
import dev.agentoperator.runner.loop.LoopConfig;
import dev.agentoperator.runner.loop.Redactor;
import dev.agentoperator.runner.loop.RegistryToolBox;
import dev.agentoperator.runner.sandbox.SandboxExecutor;
import dev.agentoperator.runner.service.ModelPerRun;
import dev.agentoperator.runner.service.RunManager;
import dev.agentoperator.runner.service.RunnerMetrics;
import dev.agentoperator.runner.service.SessionMcpServers;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.workspace.Snapshotter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process behind {@code agent-runner serve}: the snapshot git dir, the tools, the model, the
 * run manager and the HTTP API, built from {@link RunnerSettings} and closed in reverse order.
 */
public final class RunnerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerService.class);

  /** How long a tool call waits for a sandbox container that is starting or restarting. */
  private static final Duration EXECUTOR_WAIT = Duration.ofSeconds(10);

  private final Snapshotter snapshotter;
  private final RunManager runs;
  private final ApiServer server;

  private RunnerService(Snapshotter snapshotter, RunManager runs, ApiServer server) {
    this.snapshotter = snapshotter;
    this.runs = runs;
    this.server = server;
  }

  /** Starts the service with the model the settings name. */
  public static RunnerService start(RunnerSettings settings, PrintStream console)
      throws IOException {
    return start(settings, models(settings.model()), console);
  }

  /** Starts the service with the given model client per run (see {@link ModelPerRun}). */
  public static RunnerService start(
      RunnerSettings settings, ModelPerRun modelPerRun, PrintStream console) throws IOException {
    try {
      Files.createDirectories(settings.workspace().workspaceDir());
      Files.createDirectories(settings.workspace().runsDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the workspace or state directory: " + e.getMessage(), e);
    }
    Snapshotter snapshotter = Snapshotter.open(settings.workspace());
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults(), settings.publish());
    RunnerSettings.Model m = settings.model();
    List<String> secrets = new ArrayList<>(List.of(settings.token()));
    if (m.apiKey() != null) {
      secrets.add(m.apiKey());
    }
    SandboxExecutor sandbox = new SandboxExecutor(settings.executorSocket(), EXECUTOR_WAIT);
    LoopConfig config =
        LoopConfig.of(
                modelPerRun.forRun(0),
                m.name(),
                new RegistryToolBox(registry, sandbox),
                settings.workspace().workspaceDir(),
                settings.workspace().stateDir())
            .withTemperature(m.temperature())
            .withMaxOutputTokens(m.maxOutputTokens())
            .withContextTokenBudget(m.contextWindow())
            .withRedactor(new Redactor(secrets));
    RunManager[] holder = new RunManager[1];
    RunnerMetrics metrics =
        new RunnerMetrics(registry.names(), () -> holder[0] == null ? null : holder[0].activeRun());
    RunManager runs =
        new RunManager(
            config,
            modelPerRun,
            snapshotter,
            List.of(new ConsoleReporter(console, settings.logFormat()), metrics),
            new SessionMcpServers(settings.mcpServers(), registry, sandbox));
    holder[0] = runs;
    ApiServer server;
    try {
      server =
          ApiServer.start(
              settings.address(),
              new BearerToken(settings.token()),
              runs,
              new Readiness(settings.workspace().workspaceDir(), settings.workspace().stateDir()),
              metrics);
    } catch (IOException | RuntimeException e) {
      snapshotter.close();
      throw e;
    }
    LOG.info(
        "runner listening on {} (workspace {}, state {}, model {} {})",
        server.address(),
        settings.workspace().workspaceDir(),
        settings.workspace().stateDir(),
        m.provider(),
        m.name());
    // Every run counts tokens, readiness does not: the tokenizer's tables are built while the pod
    // waits for its first run instead of before it answers /readyz.
    Thread.ofPlatform().daemon().name("tokenizer-preload").start(TokenCounter::preload);
    return new RunnerService(snapshotter, runs, server);
  }

  public InetSocketAddress address() {
    return server.address();
  }

  public RunManager runs() {
    return runs;
  }

  /** Stops answering HTTP requests; the active run, if any, goes on until {@link #close()}. */
  public void stopServing() {
    server.close();
  }

  /**
   * Shuts down like a pod that is stopped: stops serving, suspends the active run (resumable by the
   * next runner, no final event) and closes the snapshot dir.
   */
  @Override
  public void close() {
    stopServing();
    runs.close();
    snapshotter.close();
  }

  static ModelPerRun models(RunnerSettings.Model model) {
    if (RunnerSettings.Model.REPLAY.equals(model.provider())) {
      // Loaded once here, so a broken cassette fails the start rather than the first run.
      return ModelPerRun.replay(Cassette.load(model.cassette()));
    }
    OpenAiChatModel client =
        new OpenAiChatModel(
            OpenAiSettings.of(model.baseUrl(), model.apiKey() == null ? "" : model.apiKey())
                .withRetry(model.retry()));
    return ModelPerRun.shared(model.gateway() ? client.viaGateway() : client);
  }
}
