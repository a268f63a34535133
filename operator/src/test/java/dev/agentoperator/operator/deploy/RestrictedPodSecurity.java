package dev.agentoperator.operator.deploy;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checks of the Kubernetes "restricted" Pod Security Standard (plus a read-only root
 * filesystem, which we require too), as the admission controller would apply them to a pod spec.
 */
public final class RestrictedPodSecurity {

  private RestrictedPodSecurity() {}

  /** What violates the restricted standard; empty when the pod would be admitted. */
  public static List<String> violations(PodSpec pod) {
    List<String> violations = new ArrayList<>();
    PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
    if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC())) {
      violations.add("pod shares a host namespace");
    }
    for (Volume volume : pod.getVolumes()) {
      if (volume.getHostPath() != null) {
        violations.add("volume " + volume.getName() + " is a hostPath");
      }
    }
    boolean podSeccomp = podContext.getSeccompProfile() != null && isAllowedSeccomp(podContext.getSeccompProfile().getType());
    Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
        .forEach(c -> checkContainer(c, podContext, podSeccomp, violations));
    return violations;
  }

  private static void checkContainer(
      Container container, PodSecurityContext pod, boolean podSeccomp, List<String> violations) {
    String name = "container " + container.getName();
    SecurityContext context = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
    if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
      violations.add(name + " must set allowPrivilegeEscalation: false");
    }
    if (Boolean.TRUE.equals(context.getPrivileged())) {
      violations.add(name + " is privileged");
    }
    boolean nonRoot = Boolean.TRUE.equals(context.getRunAsNonRoot())
        || (context.getRunAsNonRoot() == null && Boolean.TRUE.equals(pod.getRunAsNonRoot()));
    if (!nonRoot) {
      violations.add(name + " must run as non-root (runAsNonRoot: true)");
    }
    Long user = context.getRunAsUser() != null ? context.getRunAsUser() : pod.getRunAsUser();
    if (user != null && user == 0) {
      violations.add(name + " runs as uid 0");
    }
    boolean seccomp = context.getSeccompProfile() != null
        ? isAllowedSeccomp(context.getSeccompProfile().getType())
        : podSeccomp;
    if (!seccomp) {
      violations.add(name + " needs seccompProfile RuntimeDefault or Localhost");
    }
    Capabilities capabilities = context.getCapabilities();
    if (capabilities == null || !capabilities.getDrop().contains("ALL")) {
      violations.add(name + " must drop ALL capabilities");
    }
    if (capabilities != null && capabilities.getAdd().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE"))) {
      violations.add(name + " adds capabilities other than NET_BIND_SERVICE");
    }
    if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
      violations.add(name + " must have a read-only root filesystem");
    }
  }

  private static boolean isAllowedSeccomp(String type) {
    return "RuntimeDefault".equals(type) || "Localhost".equals(type);
  }
}
