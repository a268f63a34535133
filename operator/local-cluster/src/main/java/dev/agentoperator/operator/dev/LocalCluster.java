package dev.agentoperator.operator.dev;

import dev.agentoperator.operator.config.OperatorConfig;
import dev.agentoperator.operator.dev.apiserver.ClusterApi;
import dev.agentoperator.operator.dev.apiserver.EmbeddedApiServer;
import dev.agentoperator.operator.dev.apiserver.ExistingApiServer;
import dev.agentoperator.operator.dev.kubelet.LocalImages;
import dev.agentoperator.operator.dev.kubelet.LocalPodRuntime;
import dev.agentoperator.operator.dev.storage.LocalStorage;
import dev.agentoperator.operator.dev.storage.LocalVolumeProvisioner;
import dev.agentoperator.operator.gateway.GatewaySettings;
import dev.agentoperator.operator.gateway.ModelGateway;
import dev.agentoperator.operator.session.SessionMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of a cluster on one machine: the embedded API with the CRDs and a kubeconfig for it
 * (or an existing API server named by a kubeconfig), the local storage provisioner, the local pod
 * runtime, the model gateway and the operator running in this process. The gateway runs unless the operator's configuration names another one, so
 * {@code openai} sessions take the gateway path here as on a cluster (replay sessions need none).
 * The same machinery serves {@code agent-operator dev} and the end-to-end tests.
 */
public final class LocalCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

  private final LocalClusterSettings settings;
  private final ClusterApi api;
  private final LocalStorage storage;
  private final Path kubeconfig;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final KubernetesClient client;
  private final LocalPodRuntime pods;
  private final OperatorConfig operatorConfig;
  private KubernetesClient operatorClient;
  private AutoCloseable operator;
  private boolean closed;

  private LocalCluster(LocalClusterSettings settings) {
    this.settings = settings;
    this.storage = new LocalStorage(settings.home());
    // On an existing API server other pods and claims are not ours: only the operator's objects
    // are this kubelet's and this provisioner's.
    Map<String, String> ours;
    if (settings.existingApi().isPresent()) {
      ExistingApiServer existing = ExistingApiServer.connect(settings.existingApi().get());
      this.api = existing;
      this.kubeconfig = existing.kubeconfig();
      ours = Map.of(SessionMetadata.MANAGED_BY_LABEL, SessionMetadata.MANAGED_BY);
    } else {
      EmbeddedApiServer embedded = EmbeddedApiServer.start();
      this.api = embedded;
      this.kubeconfig = embedded.writeKubeconfig(storage.home().resolve("kubeconfig"));
      ours = Map.of();
    }
    closeables.add(api);
    try {
      KubernetesClient kubeletClient = api.newClient();
      closeables.add(kubeletClient);
      closeables.add(new LocalVolumeProvisioner(kubeletClient, storage).start(ours));
      LocalImages images =
          LocalImages.withRunnerJar(settings.operatorConfig().runnerImage(), settings.runnerJar())
              .withRunnerEnv(settings.runnerEnv());
      settings.imageDirectories().forEach(images::withImageDirectory);
      this.pods = new LocalPodRuntime(kubeletClient, images, storage, settings.logs(),
          settings.operatorConfig().runnerPort(), settings.restartBackoff(), settings.clock(),
          settings.runtime(), settings.isolation());
      closeables.add(pods.start(ours));
      this.client = api.newClient();
      closeables.add(client);
      this.operatorConfig = withGateway(settings.operatorConfig());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The configuration with the in-process gateway's URL, unless it names a gateway already. The
   * gateway listens where the pods reach this machine: loopback for runners that are host
   * processes, the podman bridge's gateway for runners in containers (never all interfaces).
   */
  private OperatorConfig withGateway(OperatorConfig config) {
    if (config.gatewayUrl().isPresent()) {
      return config;
    }
    KubernetesClient gatewayClient = api.newClient();
    closeables.add(gatewayClient);
    try {
      ModelGateway gateway =
          ModelGateway.start(
              new InetSocketAddress(pods.hostAddressForPods(), 0),
              gatewayClient,
              GatewaySettings.fromEnv(Map.of()),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      closeables.add(gateway);
      return config.withGatewayUrl(
          Optional.of("http://" + pods.hostAddressForPods() + ":" + gateway.address().getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local model gateway", e);
    }
  }

  /** Starts the API, the kubelet and the operator; close it to stop them all. */
  public static LocalCluster start(LocalClusterSettings settings) {
    LocalCluster cluster = new LocalCluster(settings);
    try {
      cluster.startOperator();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** A client for users of the cluster (applying objects, watching runs). */
  public KubernetesClient client() {
    return client;
  }

  /** The local pod runtime, e.g. to find a runner's process. */
  public LocalPodRuntime pods() {
    return pods;
  }

  /** Where claims, pods and logs live. */
  public LocalStorage storage() {
    return storage;
  }

  /** The kubeconfig of the API: the embedded one's, written to the dev home, or the given one. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Whether the API is the embedded one (no discovery, so no kubectl) or an existing server. */
  public boolean embeddedApi() {
    return api instanceof EmbeddedApiServer;
  }

  /** Starts the operator (again) with a fresh client, as a new operator pod would. */
  public synchronized void startOperator() {
    if (operator != null) {
      throw new IllegalStateException("the operator is already running");
    }
    operatorClient = api.newClient();
    operator = settings.operator().start(operatorClient, operatorConfig,
        settings.clock());
  }

  /** Stops the operator; pods and runners keep running, as when an operator pod dies. */
  public synchronized void stopOperator() {
    if (operator == null) {
      return;
    }
    closeQuietly(operator);
    closeQuietly(operatorClient);
    operator = null;
    operatorClient = null;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopOperator();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeQuietly(closeables.get(i));
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("while stopping the local cluster: {}", e.toString());
    }
  }
}
