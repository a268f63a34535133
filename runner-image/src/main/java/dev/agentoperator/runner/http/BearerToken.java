package dev.agentoperator.runner.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token that guards {@code /v1}. Compares in constant time over SHA-256 digests, so
 * neither the content nor the length of the expected token leaks through timing. {@link
 * #toString()} never shows the token.
 */
public final class BearerToken {

  private static final String PREFIX = "Bearer ";

  private final byte[] expectedDigest;

  public BearerToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the runner token must not be empty");
    }
    this.expectedDigest = sha256(token.strip());
  }

  /** Whether an {@code Authorization} header value carries the token. */
  public boolean accepts(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    String presented = authorizationHeader.substring(PREFIX.length()).strip();
    return MessageDigest.isEqual(expectedDigest, sha256(presented));
  }

  @Override
  public String toString() {
    return "BearerToken[<redacted>]";
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
