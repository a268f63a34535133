package dev.agentoperator.operator.gateway;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.session.GatewayTokenSecret;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Sessions, their Secrets and a gateway in front of a scripted upstream, for gateway tests. */
final class GatewayFixture implements AutoCloseable {

  static final String KEY_PREFIX = "sk-upstream-key-of-";

  final KubernetesClient client;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final ModelGateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();

  GatewayFixture(KubernetesClient client, Duration cacheTtl) throws IOException {
    this.client = client;
    this.gateway =
        ModelGateway.start(
            new InetSocketAddress("127.0.0.1", 0),
            new SessionRoutes(client, cacheTtl, Clock.systemUTC()),
            registry,
            Duration.ofSeconds(30));
  }

  /**
   * An openai session called {@code name} in {@code namespace} pointing at {@code baseUrl}, with
   * its key Secret and its gateway token Secret (as the operator creates it); returns the token.
   */
  String session(String namespace, String name, String baseUrl) {
    if (client.namespaces().withName(namespace).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name + "-key")
                .endMetadata()
                .addToData("key", b64(KEY_PREFIX + namespace + "-" + name))
                .build())
        .create();
    // from YAML, so the test does not follow every new field of the spec
    AgentSession session =
        Serialization.unmarshal(
            """
            apiVersion: agentoperator.dev/v1alpha1
            kind: AgentSession
            metadata: {name: %s, namespace: %s}
            spec:
              model:
                provider: openai
                baseUrl: %s
                name: gpt-test
                apiKeySecretRef: {name: %s-key, key: key}
            """
                .formatted(name, namespace, baseUrl, name),
            AgentSession.class);
    AgentSession created = client.resource(session).create();
    String token = GatewayTokenSecret.newToken(created, random);
    client.resource(GatewayTokenSecret.desired(created, token)).create();
    return token;
  }

  HttpResponse<String> post(String token, Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String token, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.address().getPort() + path);
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
