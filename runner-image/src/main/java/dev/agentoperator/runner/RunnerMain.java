package dev.agentoperator.runner;

import dev.agentoperator.runner.loop.RunCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The runner's command line: {@code agent-runner <subcommand> [options]}. Today {@code run} (one
 * run in this process); the HTTP service ({@code serve}) and {@code init-workspace} join here.
 */
public final class RunnerMain {

  /** One subcommand: gets the arguments after its name, returns the exit code. */
  @FunctionalInterface
  interface Subcommand {
    int execute(List<String> args, Map<String, String> env, PrintStream out, PrintStream err);
  }

  private static final Map<String, Subcommand> SUBCOMMANDS =
      Map.of("run", (args, env, out, err) -> new RunCommand(env, out, err).execute(args));

  private RunnerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs a command line and returns its exit code (0 success, 1 the run did not succeed, 2 usage). */
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
  }
}
