package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.config.Durations;
import dev.agentoperator.operator.dev.kubelet.RunnerJarLocator;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The options of {@code agent-operator dev}.
 *
 * @param home the dev home ({@code --home}, default {@code ./target/dev})
 * @param runnerJar the runner jar ({@code --runner-jar}), else found by {@link RunnerJarLocator}
 * @param kubeconfig an existing API server to run against ({@code --kubeconfig}), else the embedded
 *     one
 * @param timeout how long to wait for the runs ({@code --timeout}, default 30m)
 * @param verbose log the operator's and the kubelet's INFO lines too ({@code --verbose})
 * @param runtime the local kubelet's container runtime ({@code --runtime}, default bwrap)
 * @param noIsolation run tools unisolated when bubblewrap cannot isolate them, instead of refusing
 *     them ({@code --no-isolation})
 * @param files the YAML files to apply
 */
public record DevOptions(
    Path home,
    Optional<Path> runnerJar,
    Optional<Path> kubeconfig,
    Duration timeout,
    boolean verbose,
    RuntimeKind runtime,
    boolean noIsolation,
    List<Path> files) {

  static final String USAGE =
      """
      usage: agent-operator dev [--home DIR] [--runner-jar FILE] [--kubeconfig FILE]
                                [--timeout 30m] [--runtime bwrap|podman] [--no-isolation]
                                [--verbose] FILES...

      Runs a local cluster (embedded API, operator, runners as local processes), applies the
      YAML FILES and follows their AgentRuns until they finish. Exit code 0 when all succeeded.
        --home DIR          dev home: kubeconfig, workspaces, pod logs (default ./target/dev)
        --runner-jar FILE   the runner's shaded jar (default: AGENT_RUNNER_JAR, else
                            runner-image/target/agent-runner-*-all.jar found from here)
        --kubeconfig FILE   run against this existing API server (its current context) instead
                            of the embedded one, e.g. envtest's kube-apiserver; kubectl works
                            there. The CRDs are created if missing. The local kubelet runs only
                            the operator's pods; a cluster with nodes of its own would run them
                            too, so use an API server without nodes.
        --timeout DURATION  give up waiting after this long (default 30m)
        --runtime NAME      how the local kubelet runs the pods' containers: bwrap (default;
                            the runner a host process, the sandbox under bubblewrap) or podman
                            (real containers from the local podman storage, as root: build the
                            images with ./mvnw -B -DskipTests -Pimages package). Without a
                            working bwrap every tool call is refused, saying so (as root with
                            apt-get, dev installs bubblewrap first)
        --no-isolation      without a working bwrap, run tools unisolated instead, as local
                            processes with your rights (the agent can read your files and keys)
        --verbose           also print the operator's and the local kubelet's log
      With OPENAI_API_KEY set (and optionally OPENAI_BASE_URL, OPENAI_MODEL), the Secret
      openai-api-key is created and openai sessions use that endpoint and model.
      """;

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException with what is wrong; the caller prints it with {@link #USAGE}
   */
  public static DevOptions parse(List<String> args) {
    Path home = Path.of("target", "dev");
    Optional<Path> runnerJar = Optional.empty();
    Optional<Path> kubeconfig = Optional.empty();
    Duration timeout = Duration.ofMinutes(30);
    boolean verbose = false;
    RuntimeKind runtime = RuntimeKind.BWRAP;
    boolean noIsolation = false;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--home" -> home = Path.of(value(args, ++i, arg));
        case "--runner-jar" -> runnerJar = Optional.of(Path.of(value(args, ++i, arg)));
        case "--kubeconfig" -> kubeconfig = Optional.of(Path.of(value(args, ++i, arg)));
        case "--timeout" -> timeout = Durations.parse(value(args, ++i, arg));
        case "--verbose", "-v" -> verbose = true;
        case "--runtime" -> runtime = RuntimeKind.parse(value(args, ++i, arg));
        case "--no-isolation" -> noIsolation = true;
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          Path file = Path.of(arg);
          if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("no readable file " + arg);
          }
          files.add(file);
        }
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no YAML files given");
    }
    return new DevOptions(home, runnerJar, kubeconfig, timeout, verbose, runtime, noIsolation,
        List.copyOf(files));
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(index);
  }
}
