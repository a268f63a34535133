package dev.agentoperator.operator.run;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Answers whether Secrets and ConfigMaps a run's session names exist, by asking the API server. */
final class ClusterReferences implements RunValidator.References {

  private final KubernetesClient client;

  ClusterReferences(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean secretExists(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get() != null;
  }

  @Override
  public boolean configMapExists(String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get() != null;
  }
}
