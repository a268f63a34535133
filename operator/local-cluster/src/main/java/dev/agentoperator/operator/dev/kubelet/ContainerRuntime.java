package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the local kubelet asks of a container runtime, in the shape of the CRI: set up a pod's
 * sandbox (its network), start its containers one by one, tear the sandbox down. {@link LocalPod}
 * does the rest as a kubelet does (init order, restarts, probes, status), whatever the runtime.
 */
interface ContainerRuntime extends AutoCloseable {

  /** The runtime's name as {@code dev --runtime} spells it. */
  String name();

  /**
   * The host gid that gets a pod's {@code fsGroup} on its volumes, or empty when this runtime
   * cannot give volumes a group (an unprivileged user's bubblewrap maps only itself).
   */
  OptionalLong volumeGroup(long fsGroup);

  /** The address of this machine as a pod reaches it, e.g. for the local model gateway. */
  String hostAddressForPods();

  /** Sets up the pod's shared namespaces before its first container; idempotent. */
  void runPodSandbox(Pod pod, String podIp) throws PodNotStartable, IOException;

  /** Starts one container of the pod with its volumes at their container paths. */
  RunningContainer start(Pod pod, Container container, Map<String, Path> volumeDirs, String podIp)
      throws PodNotStartable, IOException;

  /** Removes what {@link #runPodSandbox} set up; the containers are stopped already. */
  void stopPodSandbox(Pod pod);

  /** Releases what the runtime holds for all pods; the pods are stopped already. */
  @Override
  default void close() {}
}
