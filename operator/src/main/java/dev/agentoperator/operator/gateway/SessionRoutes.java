package dev.agentoperator.operator.gateway;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.session.GatewayTokenSecret;
import dev.agentoperator.operator.session.RunnerTokenSecret;
import dev.agentoperator.operator.session.SecretData;
import dev.agentoperator.operator.session.SessionNames;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a gateway token to its session's route. The token names its session; the gateway then
 * {@code get}s exactly three objects: that session, its gateway token Secret (compared in constant
 * time, and owned by that very session object, so a token of a deleted and recreated session of the
 * same name is refused) and the Secret the session's {@code model.apiKeySecretRef} names, in the
 * session's own namespace. No {@code list} or {@code watch} on Secrets. Routes are cached for a
 * short TTL, which is also how long a deleted session's token keeps working.
 */
final class SessionRoutes {

  static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  private static final int MAX_CACHED = 10_000;

  private final KubernetesClient client;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  SessionRoutes(KubernetesClient client, Duration ttl, Clock clock) {
    this.client = client;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** The route of {@code token}. */
  GatewayRoute resolve(String token) throws GatewayRejection {
    Instant now = clock.instant();
    Cached cached = cache.get(token == null ? "" : token);
    if (cached != null && now.isBefore(cached.expires())) {
      return cached.route();
    }
    GatewayRoute route = lookUp(token);
    if (!ttl.isZero()) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(token, new Cached(route, now.plus(ttl)));
    }
    return route;
  }

  private GatewayRoute lookUp(String token) throws GatewayRejection {
    GatewayTokenSecret.Owner owner =
        GatewayTokenSecret.ownerOf(token).orElseThrow(GatewayRejection::unauthorized);
    AgentSession session =
        client
            .resources(AgentSession.class)
            .inNamespace(owner.namespace())
            .withName(owner.session())
            .get();
    if (session == null
        || session.getMetadata().getDeletionTimestamp() != null
        || session.getSpec() == null
        || session.getSpec().model() == null) {
      throw GatewayRejection.unauthorized();
    }
    Secret secret =
        client
            .secrets()
            .inNamespace(owner.namespace())
            .withName(SessionNames.gatewayTokenSecret(owner.session()))
            .get();
    if (secret == null
        || !ownedBy(secret, session)
        || !constantTimeEquals(RunnerTokenSecret.tokenOf(secret), token)) {
      throw GatewayRejection.unauthorized();
    }
    ModelSpec model = session.getSpec().model();
    if (model.provider() != ModelProvider.openai || Boolean.TRUE.equals(model.direct())) {
      throw new GatewayRejection(
          403,
          "invalid_request_error",
          "session_not_routed",
          "session "
              + owner.namespace()
              + "/"
              + owner.session()
              + " does not send its model calls through the gateway");
    }
    return new GatewayRoute(
        owner.namespace(),
        owner.session(),
        model.baseUrl() == null ? DEFAULT_BASE_URL : trimSlash(model.baseUrl()),
        model.name(),
        apiKey(owner, model));
  }

  private String apiKey(GatewayTokenSecret.Owner owner, ModelSpec model) throws GatewayRejection {
    if (model.apiKeySecretRef() == null) {
      return null;
    }
    Secret secret =
        client
            .secrets()
            .inNamespace(owner.namespace())
            .withName(model.apiKeySecretRef().name())
            .get();
    // data as an API server stores it; stringData as the embedded local API keeps it
    byte[] key =
        secret == null ? null : SecretData.of(secret).get(model.apiKeySecretRef().key());
    if (key == null) {
      throw new GatewayRejection(
          400,
          "invalid_request_error",
          "model_key_unavailable",
          "session "
              + owner.namespace()
              + "/"
              + owner.session()
              + ": Secret "
              + model.apiKeySecretRef().name()
              + " has no key "
              + model.apiKeySecretRef().key());
    }
    return new String(key, StandardCharsets.UTF_8).strip();
  }

  private static boolean ownedBy(Secret secret, AgentSession session) {
    String uid = session.getMetadata().getUid();
    return uid != null
        && secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .map(OwnerReference::getUid)
            .anyMatch(uid::equals);
  }

  private static boolean constantTimeEquals(String expected, String actual) {
    return expected != null
        && actual != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private record Cached(GatewayRoute route, Instant expires) {}
}
