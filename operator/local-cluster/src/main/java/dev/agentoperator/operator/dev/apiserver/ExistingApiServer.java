package dev.agentoperator.operator.dev.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An API server that runs already ({@code dev --kubeconfig FILE}): a kind or k3d cluster's, or
 * envtest's {@code kube-apiserver}. The local kubelet and the operator of the local cluster
 * use it instead of the embedded one, so {@code kubectl} works against it; the operator's CRDs are
 * created if it lacks them.
 */
public final class ExistingApiServer implements ClusterApi {

  private final Path kubeconfig;
  private final Config config;
  private List<String> createdCrds = List.of();

  private ExistingApiServer(Path kubeconfig, Config config) {
    this.kubeconfig = kubeconfig;
    this.config = config;
  }

  /**
   * Connects with the current context of {@code kubeconfig} and installs the CRDs if missing.
   *
   * @throws IllegalArgumentException if the file is not a readable kubeconfig
   * @throws IllegalStateException if the API cannot be reached or refuses the CRDs
   */
  public static ExistingApiServer connect(Path kubeconfig) {
    if (!Files.isRegularFile(kubeconfig) || !Files.isReadable(kubeconfig)) {
      throw new IllegalArgumentException("--kubeconfig names " + kubeconfig
          + ", which is not a readable file");
    }
    Config config;
    try {
      config = Config.fromKubeconfig(kubeconfig.toFile());
      if (config.getMasterUrl().startsWith("http:")) {
        // No h2c upgrade on plain http (see EmbeddedApiServer.clientConfig); TLS negotiates.
        config.setHttp2Disable(true);
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--kubeconfig " + kubeconfig + " is not a kubeconfig: "
          + e.getMessage(), e);
    }
    ExistingApiServer api = new ExistingApiServer(kubeconfig, config);
    try (KubernetesClient client = api.newClient()) {
      api.createdCrds = OperatorCrds.installMissing(client);
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("the API server of " + kubeconfig + " (" + api.url()
          + ") cannot be used: " + e.getMessage(), e);
    }
    return api;
  }

  /** The CRDs {@link #connect} created because the API lacked them. */
  List<String> createdCrds() {
    return createdCrds;
  }

  /** The kubeconfig this API was read from. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public String url() {
    return config.getMasterUrl();
  }

  @Override
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  @Override
  public void close() {}
}
