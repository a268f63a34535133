package dev.agentoperator.operator.dev;

import dev.agentoperator.operator.config.OperatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

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
 */
public record LocalClusterSettings(
    Path home,
    Path runnerJar,
    OperatorConfig operatorConfig,
    OperatorLauncher operator,
    LogSink logs,
    Duration restartBackoff,
    Clock clock) {}
