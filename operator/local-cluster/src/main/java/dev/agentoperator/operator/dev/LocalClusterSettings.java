package dev.agentoperator.operator.dev;

import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.dev.kubelet.LogSink;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import dev.agentoperator.operator.dev.kubelet.SandboxIsolation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a {@link LocalCluster}.
 *
 * @param home the dev home: kubeconfig, claim directories, pod directories and logs
 * @param runnerJar the runner's shaded jar, which stands in for the runner image
 * @param operatorConfig the operator's configuration (production defaults from the environment)
 * @param operator how to start the operator in this process
 * @param logs where runner output is echoed
 * @param restartBackoff first wait before a failed container restarts (a kubelet uses 10 s)
 * @param clock the operator's clock
 * @param imageDirectories stand-ins for stock images (e.g. {@code python:3.12-slim}): image name to
 *     a directory whose top-level entries form the image's root, over this machine's system dirs
 * @param existingApi the kubeconfig of an API server to run against instead of the embedded one
 * @param runtime the container runtime of the local kubelet
 * @param runnerEnv variables every runner process (the runner binary of the runner image: {@code
 *     serve}, {@code init-workspace}, ...) starts with, under the pod's own env; never given to
 *     the sandbox's commands (e.g. the tests' short model retry pauses, {@code spec/runner-env.md})
 * @param isolation how the bwrap runtime isolates the sandbox, and whether tools may run
 *     unisolated without it ({@code dev --no-isolation})
 */
public record LocalClusterSettings(
    Path home,
    Path runnerJar,
    OperatorConfig operatorConfig,
    OperatorLauncher operator,
    LogSink logs,
    Duration restartBackoff,
    Clock clock,
    Map<String, Path> imageDirectories,
    Optional<Path> existingApi,
    RuntimeKind runtime,
    Map<String, String> runnerEnv,
    SandboxIsolation.Request isolation) {

  public LocalClusterSettings {
    imageDirectories = Map.copyOf(imageDirectories);
    runnerEnv = Map.copyOf(runnerEnv);
  }

  /** Settings for a local cluster with its own embedded API server and the bwrap runtime. */
  public LocalClusterSettings(Path home, Path runnerJar, OperatorConfig operatorConfig,
      OperatorLauncher operator, LogSink logs, Duration restartBackoff, Clock clock,
      Map<String, Path> imageDirectories) {
    this(home, runnerJar, operatorConfig, operator, logs, restartBackoff, clock, imageDirectories,
        Optional.empty(), RuntimeKind.BWRAP, Map.of(), SandboxIsolation.Request.defaults());
  }

  /** These settings with another container runtime. */
  public LocalClusterSettings withRuntime(RuntimeKind other) {
    return new LocalClusterSettings(home, runnerJar, operatorConfig, operator, logs, restartBackoff,
        clock, imageDirectories, existingApi, other, runnerEnv, isolation);
  }

  /** These settings with {@link #runnerEnv()} set to {@code env}. */
  public LocalClusterSettings withRunnerEnv(Map<String, String> env) {
    return new LocalClusterSettings(home, runnerJar, operatorConfig, operator, logs,
        restartBackoff, clock, imageDirectories, existingApi, runtime, env, isolation);
  }

  /** These settings with {@link #isolation()} set to {@code request}. */
  public LocalClusterSettings withIsolation(SandboxIsolation.Request request) {
    return new LocalClusterSettings(home, runnerJar, operatorConfig, operator, logs,
        restartBackoff, clock, imageDirectories, existingApi, runtime, runnerEnv, request);
  }
}
