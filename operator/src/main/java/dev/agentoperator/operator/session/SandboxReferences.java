package dev.agentoperator.operator.session;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Secrets and ConfigMaps a sandbox pod cannot start without, read from the pod itself
 * (volumes, projections, env and envFrom of every container), so that whatever the pod comes to
 * reference is covered. Optional references and the Secrets the operator makes for the session are
 * left out. Pure.
 *
 * @param kind {@code Secret} or {@code ConfigMap}
 * @param name the object's name
 */
record SandboxReferences(String kind, String name) {

  static final String SECRET = "Secret";
  static final String CONFIG_MAP = "ConfigMap";

  /** "Secret 'name'", as a condition message names it. */
  @Override
  public String toString() {
    return kind + " '" + name + "'";
  }

  /** The required references of {@code pod}, in order of appearance, without duplicates. */
  static List<SandboxReferences> of(Pod pod, String session) {
    Set<SandboxReferences> found = new LinkedHashSet<>();
    for (Volume volume : pod.getSpec().getVolumes()) {
      if (volume.getSecret() != null && !isTrue(volume.getSecret().getOptional())) {
        found.add(new SandboxReferences(SECRET, volume.getSecret().getSecretName()));
      }
      if (volume.getConfigMap() != null && !isTrue(volume.getConfigMap().getOptional())) {
        found.add(new SandboxReferences(CONFIG_MAP, volume.getConfigMap().getName()));
      }
      if (volume.getProjected() != null && volume.getProjected().getSources() != null) {
        for (VolumeProjection source : volume.getProjected().getSources()) {
          if (source.getSecret() != null && !isTrue(source.getSecret().getOptional())) {
            found.add(new SandboxReferences(SECRET, source.getSecret().getName()));
          }
          if (source.getConfigMap() != null && !isTrue(source.getConfigMap().getOptional())) {
            found.add(new SandboxReferences(CONFIG_MAP, source.getConfigMap().getName()));
          }
        }
      }
    }
    Stream.concat(
            pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .forEach(container -> addEnv(container, found));
    found.remove(new SandboxReferences(SECRET, SessionNames.runnerTokenSecret(session)));
    found.remove(new SandboxReferences(SECRET, SessionNames.gatewayTokenSecret(session)));
    return List.copyOf(found);
  }

  private static void addEnv(Container container, Set<SandboxReferences> found) {
    if (container.getEnv() != null) {
      for (EnvVar env : container.getEnv()) {
        var from = env.getValueFrom();
        if (from == null) {
          continue;
        }
        if (from.getSecretKeyRef() != null && !isTrue(from.getSecretKeyRef().getOptional())) {
          found.add(new SandboxReferences(SECRET, from.getSecretKeyRef().getName()));
        }
        if (from.getConfigMapKeyRef() != null
            && !isTrue(from.getConfigMapKeyRef().getOptional())) {
          found.add(new SandboxReferences(CONFIG_MAP, from.getConfigMapKeyRef().getName()));
        }
      }
    }
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) {
        if (from.getSecretRef() != null && !isTrue(from.getSecretRef().getOptional())) {
          found.add(new SandboxReferences(SECRET, from.getSecretRef().getName()));
        }
        if (from.getConfigMapRef() != null && !isTrue(from.getConfigMapRef().getOptional())) {
          found.add(new SandboxReferences(CONFIG_MAP, from.getConfigMapRef().getName()));
        }
      }
    }
  }

  private static boolean isTrue(Boolean value) {
    return Boolean.TRUE.equals(value);
  }
}
