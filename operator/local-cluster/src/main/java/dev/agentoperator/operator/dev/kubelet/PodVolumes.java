package dev.agentoperator.operator.dev.kubelet;

import dev.agentoperator.operator.dev.storage.LocalStorage;
import dev.agentoperator.operator.session.SecretData;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each of a pod's volumes a directory on this machine: a PersistentVolumeClaim its claim's
 * directory (it outlives the pod), an emptyDir a fresh directory of the pod, and a ConfigMap or
 * Secret a directory holding one file per key, as a kubelet projects them. Where the runtime can
 * ({@link ContainerRuntime#volumeGroup}), claims and emptyDirs get the pod's {@code fsGroup} as a
 * kubelet gives it (group, group rights, setgid directories), so that the runner and the sandbox,
 * different uids of one group, share the workspace; projections get the group's read right.
 */
final class PodVolumes {

  private static final Logger LOG = LoggerFactory.getLogger(PodVolumes.class);

  private final KubernetesClient client;
  private final LocalStorage storage;
  private final ContainerRuntime runtime;

  /** {@code runtime} says which host group a pod's fsGroup is on this machine, if any. */
  PodVolumes(KubernetesClient client, LocalStorage storage, ContainerRuntime runtime) {
    this.client = client;
    this.storage = storage;
    this.runtime = runtime;
  }

  /** Volume name to host directory, creating and filling the directories. */
  Map<String, Path> prepare(Pod pod) throws PodNotStartable, IOException {
    String namespace = pod.getMetadata().getNamespace();
    Path podDir = storage.podDir(pod);
    Map<String, Path> dirs = new LinkedHashMap<>();
    List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    Long fsGroup = pod.getSpec().getSecurityContext() == null ? null
        : pod.getSpec().getSecurityContext().getFsGroup();
    for (Volume volume : volumes) {
      Path dir = prepare(namespace, podDir, pod, volume);
      OptionalLong group = fsGroup == null ? OptionalLong.empty() : runtime.volumeGroup(fsGroup);
      if (group.isPresent()) {
        if (volume.getPersistentVolumeClaim() != null || volume.getEmptyDir() != null) {
          FsGroup.apply(dir, group.getAsLong());
        } else {
          FsGroup.applyReadOnly(dir, group.getAsLong());
        }
      }
      dirs.put(volume.getName(), dir);
    }
    return dirs;
  }

  /**
   * Deletes the pod's emptyDirs, as a kubelet does when a pod goes. Links are deleted, never
   * followed: the agent may have left one to anything in its {@code /tmp}.
   */
  void release(Pod pod) {
    Path root = storage.emptyDirsOf(pod);
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("pod {}/{}: could not remove its emptyDirs in {}: {}",
          pod.getMetadata().getNamespace(), pod.getMetadata().getName(), root, e.toString());
    }
  }

  private Path prepare(String namespace, Path podDir, Pod pod, Volume volume)
      throws PodNotStartable, IOException {
    Path own = podDir.resolve("volumes").resolve(volume.getName());
    if (volume.getPersistentVolumeClaim() != null) {
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
        throw new PodNotStartable(
            "ContainerCreating", "persistentvolumeclaim \"" + claim + "\" not found");
      }
      return Files.createDirectories(storage.claimDir(namespace, claim));
    }
    if (volume.getEmptyDir() != null) {
      // A kubelet makes an emptyDir world-writable (0777), whoever the containers run as.
      Path dir = Files.createDirectories(storage.emptyDir(pod, volume.getName()));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      return dir;
    }
    if (volume.getConfigMap() != null) {
      String name = volume.getConfigMap().getName();
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
      if (map == null) {
        if (Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
          return Files.createDirectories(own);
        }
        throw new PodNotStartable("ContainerCreating", "configmap \"" + name + "\" not found");
      }
      Map<String, byte[]> data = new HashMap<>();
      if (map.getData() != null) {
        map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      if (map.getBinaryData() != null) {
        map.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
      }
      return project(own, data, volume.getConfigMap().getItems(),
          volume.getConfigMap().getDefaultMode());
    }
    if (volume.getSecret() != null) {
      String name = volume.getSecret().getSecretName();
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null) {
        if (Boolean.TRUE.equals(volume.getSecret().getOptional())) {
          return Files.createDirectories(own);
        }
        throw new PodNotStartable("ContainerCreating", "secret \"" + name + "\" not found");
      }
      return project(own, SecretData.of(secret), volume.getSecret().getItems(),
          volume.getSecret().getDefaultMode());
    }
    throw new PodNotStartable(
        "ContainerCreating",
        "volume \"" + volume.getName() + "\" has a type the local cluster does not support"
            + " (persistentVolumeClaim, emptyDir, configMap and secret are)");
  }

  private static Path project(Path dir, Map<String, byte[]> data, List<KeyToPath> items,
      Integer defaultMode) throws IOException, PodNotStartable {
    Files.createDirectories(dir);
    Map<String, String> paths = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.keySet().forEach(key -> paths.put(key, key));
    } else {
      for (KeyToPath item : items) {
        if (!data.containsKey(item.getKey())) {
          throw new PodNotStartable(
              "ContainerCreating", "key \"" + item.getKey() + "\" not found in " + dir.getFileName());
        }
        paths.put(item.getKey(), item.getPath());
      }
    }
    for (Map.Entry<String, String> entry : paths.entrySet()) {
      Path file = dir.resolve(entry.getValue()).normalize();
      if (!file.startsWith(dir)) {
        throw new PodNotStartable("ContainerCreating", "item path " + entry.getValue()
            + " leads outside its volume");
      }
      Files.createDirectories(file.getParent());
      file.toFile().setWritable(true, true);
      Files.write(file, data.get(entry.getKey()));
      if (defaultMode != null) {
        Files.setPosixFilePermissions(file, permissions(defaultMode | 0600));
      }
    }
    return dir;
  }

  /** The owner may always read and rewrite the projection; the mode's other bits are kept. */
  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder text = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int bit = 8; bit >= 0; bit--) {
      text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
    }
    return PosixFilePermissions.fromString(text.toString());
  }
}
