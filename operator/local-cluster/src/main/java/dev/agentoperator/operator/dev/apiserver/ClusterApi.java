package dev.agentoperator.operator.dev.apiserver;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The API server a local cluster runs against: the {@link EmbeddedApiServer}, or an
 * existing one ({@link ExistingApiServer}, {@code dev --kubeconfig}).
 */
public interface ClusterApi extends AutoCloseable {

  /** The base URL of the API, for people reading the dev command's output. */
  String url();

  /** A new client for this API; the caller closes it. */
  KubernetesClient newClient();

  /** Stops what this process started for the API (nothing, for an existing one). */
  @Override
  void close();
}
