package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer token the session's runner presents to the model gateway, in place of the provider
 * key. The token names its session ({@code agw.<base64url(namespace/name)>.<256 random bits>}) so
 * the gateway can {@code get} the one Secret to compare it with; it is worth nothing for any other
 * session, and nothing once the session (and with it this Secret) is gone.
 */
public final class GatewayTokenSecret {

  /** The key of the token inside the Secret. */
  public static final String TOKEN_KEY = RunnerTokenSecret.TOKEN_KEY;

  /** Label marking the Secret as a gateway token (the runner token Secret has no such label). */
  public static final String GATEWAY_TOKEN_LABEL = "agentoperator.dev/gateway-token";

  private static final String PREFIX = "agw.";

  private GatewayTokenSecret() {}

  /**
   * Whether the session's model calls go through the gateway: an {@code openai} session that does
   * not ask for {@code direct}, with a gateway configured. A replay session needs no endpoint.
   */
  public static boolean usesGateway(AgentSession session, OperatorConfig config) {
    var model = session.getSpec().model();
    return config.gatewayUrl().isPresent()
        && model.provider() == ModelProvider.openai
        && !Boolean.TRUE.equals(model.direct());
  }

  /** A fresh token naming {@code session}. */
  public static String newToken(AgentSession session, SecureRandom random) {
    String owner = session.getMetadata().getNamespace() + "/" + session.getMetadata().getName();
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(owner.getBytes(StandardCharsets.UTF_8))
        + "."
        + RunnerTokenSecret.newToken(random);
  }

  /** The session a token claims to belong to, or empty when it is not a gateway token. */
  public static Optional<Owner> ownerOf(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0) {
      return Optional.empty();
    }
    try {
      String owner =
          new String(
              Base64.getUrlDecoder().decode(token.substring(PREFIX.length(), dot)),
              StandardCharsets.UTF_8);
      int slash = owner.indexOf('/');
      if (slash <= 0 || slash == owner.length() - 1) {
        return Optional.empty();
      }
      return Optional.of(new Owner(owner.substring(0, slash), owner.substring(slash + 1)));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  /** The Secret holding {@code token}, owned by the session (garbage collected with it). */
  public static Secret desired(AgentSession session, String token) {
    Secret secret =
        RunnerTokenSecret.tokenSecret(
            session, SessionNames.gatewayTokenSecret(session.getMetadata().getName()), token);
    secret.getMetadata().getLabels().put(GATEWAY_TOKEN_LABEL, "true");
    return secret;
  }

  /** The namespace and name of the session a token names. */
  public record Owner(String namespace, String session) {}
}
