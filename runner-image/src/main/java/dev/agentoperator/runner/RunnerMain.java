package dev.agentoperator.runner;

import dev.agentoperator.runner.serve.ServeCommand;
import dev.agentoperator.runner.loop.RunCommand;
import dev.agentoperator.runner.sandbox.ExecuteCommand;
import dev.agentoperator.runner.sandbox.InstallExecutorCommand;
import dev.agentoperator.runner.workspace.WorkspaceInitializer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The runner's command line: {@code agent-runner <subcommand> [options]}: {@code run} (one run in
 * this process), {@code serve} (the runner container of the sandbox pod), {@code execute} (its
 * sandbox container's tool executor), {@code init-workspace} and {@code install-executor} (its init
 * containers).
 */
public final class RunnerMain {

  /** One subcommand: gets the arguments after its name, returns the exit code. */
  @FunctionalInterface
  interface Subcommand {
    int execute(List<String> args, Map<String, String> env, PrintStream out, PrintStream err);
  }

  private static final Map<String, Subcommand> SUBCOMMANDS =
      Map.of(
          "execute",
          (args, env, out, err) -> new ExecuteCommand(env, err).execute(args),
          "install-executor",
          (args, env, out, err) -> new InstallExecutorCommand(env, out, err).execute(args),
          "run",
          (args, env, out, err) -> new RunCommand(env, out, err).execute(args),
          "serve",
          (args, env, out, err) -> new ServeCommand(env, out, err).execute(args),
          "init-workspace",
          (args, env, out, err) -> WorkspaceInitializer.run(env, args, out, err));

  private RunnerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs a command line and returns its exit code (0 success, 1 the run did not succeed, 2 usage).
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? 2 : 0;
    }
    Subcommand subcommand = SUBCOMMANDS.get(args[0]);
    if (subcommand == null) {
      err.println("agent-runner: unknown subcommand '" + args[0] + "'");
      usage(err);
      return 2;
    }
    return subcommand.execute(Arrays.asList(args).subList(1, args.length), env, out, err);
  }

  private static void usage(PrintStream stream) {
    stream.println("usage: agent-runner <subcommand> [options]");
    stream.println("subcommands: " + String.join(", ", SUBCOMMANDS.keySet()));
    stream.println();
    stream.print(RunCommand.USAGE);
    stream.println();
    stream.print(ServeCommand.USAGE);
    stream.println();
    stream.print(ExecuteCommand.USAGE);
    stream.println();
    stream.print(InstallExecutorCommand.USAGE);
    stream.println();
    stream.println("agent-runner init-workspace");
    stream.println(
        "  Prepares the volume for the runner (state layout, optional clone of $AGENT_GIT_URL at");
    stream.println("  $AGENT_GIT_REF); safe to run again. See spec/runner-env.md.");
  }
}
