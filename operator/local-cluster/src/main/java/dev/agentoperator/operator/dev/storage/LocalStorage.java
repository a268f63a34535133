package dev.agentoperator.operator.dev.storage;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;

/**
 * The dev home's layout: {@code volumes/<namespace>/<claim>} for each PersistentVolumeClaim and
 * {@code pods/<namespace>/<pod>-<uid>} for each pod's emptyDirs, projections and logs.
 */
public final class LocalStorage {

  private final Path home;
  private final Path emptyDirs;

  public LocalStorage(Path home) {
    this.home = home.toAbsolutePath().normalize();
    // Short on purpose: a Unix socket path (the executor's, in an emptyDir) must fit in 107 bytes,
    // which a dev home under a deep checkout does not.
    this.emptyDirs = Path.of("/tmp", "agent-op-" + Integer.toHexString(this.home.hashCode()));
  }

  /** The directory of one emptyDir volume of a pod (one incarnation). */
  public Path emptyDir(Pod pod, String volume) {
    return emptyDirsOf(pod).resolve(volume);
  }

  /** The directory holding all emptyDirs of a pod (one incarnation). */
  public Path emptyDirsOf(Pod pod) {
    String uid = pod.getMetadata().getUid() == null ? "local" : pod.getMetadata().getUid();
    return emptyDirs.resolve(uid);
  }

  /** The dev home. */
  public Path home() {
    return home;
  }

  /** The directory standing in for a claim's volume. */
  public Path claimDir(String namespace, String claim) {
    return home.resolve("volumes").resolve(namespace).resolve(claim);
  }

  /** The directory of one pod (one incarnation: a recreated pod gets a new one). */
  public Path podDir(Pod pod) {
    String uid = pod.getMetadata().getUid() == null ? "local" : pod.getMetadata().getUid();
    return home.resolve("pods")
        .resolve(pod.getMetadata().getNamespace())
        .resolve(pod.getMetadata().getName() + "-" + uid);
  }

  /** The file holding a container's output. */
  public Path logFile(Pod pod, String container) {
    return podDir(pod).resolve("logs").resolve(container + ".log");
  }
}
