package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A container's readiness probe against the pod's address: {@code httpGet} (2xx or 3xx is ready)
 * or {@code tcpSocket}. Without a probe a running container is ready. Delays and periods are not
 * honoured: the local runtime probes on every tick, so a pod is ready as soon as it serves.
 */
final class ReadinessProbe {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final String podIp;
  private final HttpClient http;

  ReadinessProbe(String podIp) {
    this.podIp = podIp;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  boolean check(Container container) {
    Probe probe = container.getReadinessProbe();
    if (probe == null) {
      return true;
    }
    try {
      if (probe.getHttpGet() != null) {
        int port = port(container, probe.getHttpGet().getPort());
        String path = probe.getHttpGet().getPath() == null ? "/" : probe.getHttpGet().getPath();
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://" + podIp + ":" + port + path))
            .timeout(TIMEOUT).GET().build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status >= 200 && status < 400;
      }
      if (probe.getTcpSocket() != null) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(podIp,
              port(container, probe.getTcpSocket().getPort())), (int) TIMEOUT.toMillis());
          return true;
        }
      }
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
    return ports.stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no port named " + port.getStrVal()));
  }
}
