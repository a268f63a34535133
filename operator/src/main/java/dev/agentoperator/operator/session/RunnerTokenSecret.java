package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token the operator presents to the session's runner. Created once and never rotated: a
 * rotation would cut off a run in flight, and the pod reads it only at start.
 */
public final class RunnerTokenSecret {

  /** The key of the token inside the Secret. */
  public static final String TOKEN_KEY = "token";

  private static final int TOKEN_BYTES = 32;

  private RunnerTokenSecret() {}

  /** A fresh random token: 256 bits, URL-safe base64 without padding. */
  public static String newToken(SecureRandom random) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The Secret holding {@code token}; {@code data} (not stringData) so every reader sees it. */
  public static Secret desired(AgentSession session, String token) {
    return tokenSecret(
        session, SessionNames.runnerTokenSecret(session.getMetadata().getName()), token);
  }

  /** An immutable Secret of the session called {@code name} holding {@code token}. */
  static Secret tokenSecret(AgentSession session, String name, String token) {
    return new SecretBuilder()
        .withMetadata(SessionMetadata.metadata(session, name))
        .withType("Opaque")
        .withImmutable(true)
        .addToData(
            TOKEN_KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  /**
   * The token stored in {@code secret}, or null when it holds none. {@code data} first; {@code
   * stringData} too, because an API server without admission (the local cluster's mock) keeps a
   * Secret written with {@code stringData} as it was sent.
   */
  public static String tokenOf(Secret secret) {
    if (secret == null) {
      return null;
    }
    if (secret.getData() != null && secret.getData().get(TOKEN_KEY) != null) {
      return new String(
          Base64.getDecoder().decode(secret.getData().get(TOKEN_KEY)), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(TOKEN_KEY);
  }
}
