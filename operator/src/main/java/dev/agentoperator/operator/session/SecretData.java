package dev.agentoperator.operator.session;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A Secret's values as bytes: {@code data} decoded from base64, then {@code stringData}. */
public final class SecretData {

  private SecretData() {}

  public static Map<String, byte[]> of(Secret secret) {
    Map<String, byte[]> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, Base64.getDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return values;
  }
}
