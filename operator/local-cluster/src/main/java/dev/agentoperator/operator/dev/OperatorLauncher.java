package dev.agentoperator.operator.dev;

import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** Starts the operator in this process against a client; closing the handle stops it. */
@FunctionalInterface
public interface OperatorLauncher {

  /** Starts reconciling; the returned handle stops the operator (not the client) when closed. */
  AutoCloseable start(KubernetesClient client, OperatorConfig config, Clock clock);
}
