package dev.agentoperator.operator.dev.kubelet;

import dev.agentoperator.operator.session.SecretData;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment as a kubelet does: {@code envFrom}, then {@code env} with
 * {@code value} (expanding {@code $(VAR)}), {@code secretKeyRef}, {@code configMapKeyRef} and
 * {@code fieldRef}. A missing Secret, ConfigMap or key that is not optional stops the container
 * with {@code CreateContainerConfigError}, naming what is missing (never a value).
 */
final class ContainerEnv {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
  private static final String CONFIG_ERROR = "CreateContainerConfigError";

  private final KubernetesClient client;

  ContainerEnv(KubernetesClient client) {
    this.client = client;
  }

  /** The container's variables, in declaration order, with values as the process sees them. */
  Map<String, String> resolve(Pod pod, Container container, String podIp)
      throws PodNotStartable {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    List<EnvFromSource> from = container.getEnvFrom() == null ? List.of() : container.getEnvFrom();
    for (EnvFromSource source : from) {
      String prefix = source.getPrefix() == null ? "" : source.getPrefix();
      if (source.getConfigMapRef() != null) {
        ConfigMap map = configMap(namespace, source.getConfigMapRef().getName(),
            source.getConfigMapRef().getOptional());
        if (map != null && map.getData() != null) {
          map.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (source.getSecretRef() != null) {
        Secret secret = secret(namespace, source.getSecretRef().getName(),
            source.getSecretRef().getOptional());
        if (secret != null) {
          SecretData.of(secret)
              .forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
        }
      }
    }
    List<EnvVar> vars = container.getEnv() == null ? List.of() : container.getEnv();
    for (EnvVar var : vars) {
      String value = var.getValueFrom() == null
          ? expand(var.getValue() == null ? "" : var.getValue(), env)
          : valueFrom(pod, var.getName(), var.getValueFrom(), podIp);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private String valueFrom(Pod pod, String name, EnvVarSource source, String podIp)
      throws PodNotStartable {
    String namespace = pod.getMetadata().getNamespace();
    if (source.getSecretKeyRef() != null) {
      SecretKeySelector ref = source.getSecretKeyRef();
      Secret secret = secret(namespace, ref.getName(), ref.getOptional());
      if (secret == null) {
        return null;
      }
      byte[] value = SecretData.of(secret).get(ref.getKey());
      if (value == null) {
        return missingKey(ref.getOptional(), "secret", ref.getName(), ref.getKey(), name);
      }
      return new String(value, StandardCharsets.UTF_8);
    }
    if (source.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = source.getConfigMapKeyRef();
      ConfigMap map = configMap(namespace, ref.getName(), ref.getOptional());
      if (map == null) {
        return null;
      }
      String value = map.getData() == null ? null : map.getData().get(ref.getKey());
      if (value == null) {
        return missingKey(ref.getOptional(), "configmap", ref.getName(), ref.getKey(), name);
      }
      return value;
    }
    if (source.getFieldRef() != null) {
      return switch (source.getFieldRef().getFieldPath()) {
        case "metadata.name" -> pod.getMetadata().getName();
        case "metadata.namespace" -> namespace;
        case "metadata.uid" -> pod.getMetadata().getUid();
        case "status.podIP", "status.hostIP" -> podIp;
        case "spec.nodeName" -> "local";
        case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
        default -> throw new PodNotStartable(CONFIG_ERROR, "env " + name + ": fieldRef "
            + source.getFieldRef().getFieldPath() + " is not supported by the local cluster");
      };
    }
    throw new PodNotStartable(CONFIG_ERROR,
        "env " + name + ": only value, secretKeyRef, configMapKeyRef and fieldRef are supported");
  }

  private Secret secret(String namespace, String name, Boolean optional) throws PodNotStartable {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null && !Boolean.TRUE.equals(optional)) {
      throw new PodNotStartable(CONFIG_ERROR, "secret \"" + name + "\" not found");
    }
    return secret;
  }

  private ConfigMap configMap(String namespace, String name, Boolean optional)
      throws PodNotStartable {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null && !Boolean.TRUE.equals(optional)) {
      throw new PodNotStartable(CONFIG_ERROR, "configmap \"" + name + "\" not found");
    }
    return map;
  }

  private static String missingKey(Boolean optional, String kind, String object, String key,
      String var) throws PodNotStartable {
    if (Boolean.TRUE.equals(optional)) {
      return null;
    }
    throw new PodNotStartable(CONFIG_ERROR, "couldn't find key " + key + " in " + kind + " \""
        + object + "\" (env " + var + ")");
  }

  /** Kubernetes' {@code $(VAR)} expansion over earlier variables; unknown references stay. */
  private static String expand(String value, Map<String, String> earlier) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = earlier.getOrDefault(matcher.group(1), matcher.group());
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
