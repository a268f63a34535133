package dev.agentoperator.operator.dev.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The local cluster's API server: Fabric8's mock server in CRUD mode on a loopback port, with the
 * operator's CRDs registered. It stores and watches objects but neither validates nor defaults
 * them, and serves no discovery for kubectl.
 */
public final class EmbeddedApiServer implements ClusterApi {

  /** The mock logs every request at INFO through java.util.logging; kept so it stays quiet. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;

  private EmbeddedApiServer(KubernetesMockServer server) {
    this.server = server;
  }

  /** Starts the server on a free loopback port and installs the CRDs. */
  public static EmbeddedApiServer start() {
    EmbeddedApiServer api = startWithoutCrds();
    try (KubernetesClient client = api.newClient()) {
      OperatorCrds.installMissing(client);
    } catch (RuntimeException e) {
      api.close();
      throw e;
    }
    return api;
  }

  /** Starts the server on a free loopback port, empty: an API server as a fresh cluster has it. */
  static EmbeddedApiServer startWithoutCrds() {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (RuntimeException e) {
      throw new IllegalStateException("could not start the embedded Kubernetes API", e);
    }
    return new EmbeddedApiServer(server);
  }

  /** The base URL of the API, e.g. {@code http://127.0.0.1:41234}. */
  @Override
  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  /** Client settings for this server: no TLS, no credentials, namespace {@code default}. */
  public Config clientConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withTrustCerts(true)
        .withRequestRetryBackoffLimit(3)
        // HTTP/1.1: on a plain-http URL the JDK client otherwise tries an h2c upgrade, which the
        // mock's Vert.x server accepts and then, now and then, never answers (a GET hung for good).
        .withHttp2Disable(true)
        .build();
  }

  /** A new client (JDK HTTP client) for this server; the caller closes it. */
  @Override
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder()
        .withConfig(clientConfig())
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  /** Writes a kubeconfig pointing at this server to {@code file} and returns it. */
  public Path writeKubeconfig(Path file) {
    return writeKubeconfig(file, url());
  }

  /** Writes a kubeconfig for the API at {@code url}: no TLS, no credentials. */
  private static Path writeKubeconfig(Path file, String url) {
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: agent-operator-dev
            cluster:
              server: %s
        users:
          - name: agent-operator-dev
            user: {}
        contexts:
          - name: agent-operator-dev
            context:
              cluster: agent-operator-dev
              user: agent-operator-dev
              namespace: default
        current-context: agent-operator-dev
        """
            .formatted(url);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the kubeconfig " + file, e);
    }
    return file;
  }

  @Override
  public void close() {
    server.destroy();
  }
}
