package dev.agentoperator.runner.serve;

import dev.agentoperator.runner.ContainerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code agent-runner serve}: the runner container's process. Reads {@link RunnerSettings} from the
 * environment, serves the HTTP API until the process is stopped. Exit code 2 for a configuration
 * error, 1 when the service cannot start.
 */
public final class ServeCommand {

  public static final String USAGE =
      """
      agent-runner serve
        Serves the runner's HTTP API (spec/runner-api.yaml) on $AGENT_RUNNER_ADDRESS
        (default 0.0.0.0:8080). Configured only by environment variables (spec/runner-env.md):
        AGENT_RUNNER_TOKEN (required), AGENT_WORKSPACE_DIR, AGENT_STATE_DIR,
        AGENT_MODEL_PROVIDER, AGENT_MODEL_BASE_URL, AGENT_MODEL_NAME, AGENT_MODEL_API_KEY,
        AGENT_MODEL_TEMPERATURE, AGENT_MODEL_MAX_OUTPUT_TOKENS, AGENT_MODEL_CONTEXT_WINDOW,
        AGENT_MODEL_CASSETTE, AGENT_LOG_FORMAT.
      """;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public ServeCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Starts the service and blocks until the JVM shuts down. */
  public int execute(List<String> args) {
    if (!args.isEmpty()) {
      err.println("agent-runner serve: takes no arguments, got " + args);
      err.print(USAGE);
      return 2;
    }
    RunnerSettings settings;
    try {
      settings = RunnerSettings.fromEnv(env);
    } catch (IllegalArgumentException e) {
      err.println("agent-runner serve: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    RunnerService service;
    try {
      service = RunnerService.start(settings, out);
    } catch (IOException
        | UncheckedIOException
        | IllegalArgumentException
        | IllegalStateException e) {
      err.println("agent-runner serve: cannot start: " + e.getMessage());
      return 1;
    }
    // On SIGTERM the run is suspended, not cancelled: its checkpoint lets the next pod resume it,
    // which is what the operator asks for when a pod goes away mid-run.
    ContainerProcess.serveUntilStopped(service);
    return 0;
  }
}
