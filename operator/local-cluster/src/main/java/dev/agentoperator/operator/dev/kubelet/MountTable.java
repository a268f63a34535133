package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's mount paths and the host directories behind them. Local processes share this
 * machine's filesystem, so every container path in env or args is rewritten to its directory.
 */
final class MountTable {

  /** One mount: the container path, the host directory behind it, and whether it is read-only. */
  record Mount(String path, Path dir, boolean readOnly) {}

  private final List<Map.Entry<String, Path>> mounts;
  private final List<Mount> declared;

  private MountTable(List<Map.Entry<String, Path>> mounts, List<Mount> declared) {
    this.mounts = mounts;
    this.declared = declared;
  }

  /** The mounts in declaration order, as a container runtime applies them. */
  List<Mount> mounts() {
    return declared;
  }

  static MountTable of(Container container, Map<String, Path> volumeDirs) throws PodNotStartable {
    List<VolumeMount> declared =
        container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
    List<Map.Entry<String, Path>> entries = new ArrayList<>();
    List<Mount> inOrder = new ArrayList<>();
    for (VolumeMount mount : declared) {
      Path dir = volumeDirs.get(mount.getName());
      if (dir == null) {
        throw new PodNotStartable(
            "CreateContainerConfigError",
            "container " + container.getName() + " mounts volume \"" + mount.getName()
                + "\", which the pod does not declare");
      }
      if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
        dir = dir.resolve(mount.getSubPath()).normalize();
      }
      entries.add(Map.entry(trimSlash(mount.getMountPath()), dir));
      inOrder.add(new Mount(trimSlash(mount.getMountPath()), dir,
          Boolean.TRUE.equals(mount.getReadOnly())));
    }
    // Longest mount path first: /data/state must win over /data.
    entries.sort(Comparator.comparingInt((Map.Entry<String, Path> e) -> e.getKey().length())
        .reversed());
    return new MountTable(List.copyOf(entries), List.copyOf(inOrder));
  }

  /** {@code value} with a leading container path replaced by its host directory. */
  String rewrite(String value) {
    if (value == null) {
      return null;
    }
    for (Map.Entry<String, Path> mount : mounts) {
      String path = mount.getKey();
      if (value.equals(path)) {
        return mount.getValue().toString();
      }
      if (value.startsWith(path + "/")) {
        return mount.getValue().resolve(value.substring(path.length() + 1)).toString();
      }
    }
    return value;
  }

  /** The host directory mounted at exactly {@code path}, if any. */
  Optional<Path> hostDir(String path) {
    return mounts.stream().filter(m -> m.getKey().equals(path)).map(Map.Entry::getValue)
        .findFirst();
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
