package dev.agentoperator.runner.sandbox;

import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.runner.ContainerProcess;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code agent-runner execute}: the {@code sandbox} container's process. Serves tool calls on the
 * executor socket until the container stops. Exit code 2 for a usage error, 1 when it cannot bind.
 */
public final class ExecuteCommand {

  public static final String SOCKET_ENV = RunnerEnv.EXECUTOR_SOCKET;

  public static final String USAGE =
      """
      agent-runner execute [--socket PATH] [--workspace DIR]
        The sandbox container's tool executor: runs the tool calls the runner sends over the Unix
        socket PATH (default $AGENT_EXECUTOR_SOCKET) on the workspace DIR (default
        $AGENT_WORKSPACE_DIR, else /data/workspace). Holds no secret and no state. With
        $AGENT_EXECUTOR_REFUSAL set it runs nothing and answers every call with that text.
      """;

  private final Map<String, String> env;
  private final PrintStream err;

  public ExecuteCommand(Map<String, String> env, PrintStream err) {
    this.env = env;
    this.err = err;
  }

  public int execute(List<String> args) {
    String socket = env.get(SOCKET_ENV);
    String workspace = env.getOrDefault(RunnerEnv.WORKSPACE_DIR, "/data/workspace");
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      if (i + 1 >= args.size() || !(flag.equals("--socket") || flag.equals("--workspace"))) {
        err.println("agent-runner execute: unexpected argument " + flag);
        err.print(USAGE);
        return 2;
      }
      String value = args.get(++i);
      if (flag.equals("--socket")) {
        socket = value;
      } else {
        workspace = value;
      }
    }
    if (socket == null || socket.isBlank()) {
      err.println("agent-runner execute: no socket: pass --socket PATH or set " + SOCKET_ENV);
      return 2;
    }
    Path workspaceDir = Path.of(workspace);
    if (!Files.isDirectory(workspaceDir)) {
      err.println("agent-runner execute: workspace " + workspaceDir + " is not a directory");
      return 1;
    }
    String refusal = env.get(RunnerEnv.EXECUTOR_REFUSAL);
    ExecutorServer server;
    try {
      server =
          ExecutorServer.start(
              Path.of(socket),
              ToolRegistry.standard(ToolSettings.defaults()),
              workspaceDir,
              refusal == null || refusal.isBlank() ? Optional.empty() : Optional.of(refusal));
    } catch (IOException | RuntimeException e) {
      err.println("agent-runner execute: cannot listen on " + socket + ": " + e.getMessage());
      return 1;
    }
    ContainerProcess.serveUntilStopped(server);
    return 0;
  }
}
