package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.OperatorMain;
import dev.agentoperator.operator.dev.InProcessOperator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The local-cluster jar's entry point: {@code dev} runs the local cluster; {@code run} and {@code
 * gateway} are {@link OperatorMain}'s, as in the operator image.
 */
public final class AgentOperatorCli {

  private static final String USAGE =
      """
      usage: agent-operator run                  the operator, against the current cluster
             agent-operator gateway              the model gateway, against the current cluster
             agent-operator dev [OPTIONS] FILES  a local cluster running FILES (dev --help)
      """;

  private AgentOperatorCli() {}

  public static void main(String[] args) throws InterruptedException, java.io.IOException {
    if (args.length == 0) {
      System.err.print(USAGE);
      System.exit(2);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "run", "gateway" -> OperatorMain.main(args);
      case "dev" -> System.exit(dev(rest));
      case "-h", "--help", "help" -> System.out.print(USAGE);
      default -> {
        System.err.print("unknown command " + args[0] + "\n" + USAGE);
        System.exit(2);
      }
    }
  }

  private static int dev(List<String> args) throws InterruptedException {
    if (args.contains("-h") || args.contains("--help")) {
      System.out.print(DevOptions.USAGE);
      return 0;
    }
    DevOptions options;
    try {
      options = DevOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("agent-operator dev: " + e.getMessage());
      System.err.print(DevOptions.USAGE);
      return 2;
    }
    // The table and the runners' output are the dev command's output; library chatter is not.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.verbose() ? "info"
        : "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
        "error");
    // The embedded API's netty would use sun.misc.Unsafe, which JDK 24+ warns about on stderr.
    System.setProperty("io.netty.noUnsafe", "true");
    DevCommand command = new DevCommand(System.getenv(), System.out, Path.of(""),
        InProcessOperator.production(), Clock.systemUTC());
    Thread hook = new Thread(command::stop, "agent-operator-dev-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return command.run(options);
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println("agent-operator dev: " + e.getMessage());
      return 2;
    }
  }
}
