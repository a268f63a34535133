package dev.agentoperator.operator.dev.kubelet;

import dev.agentoperator.operator.dev.storage.LocalStorage;
import dev.agentoperator.operator.session.SessionMetadata;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a pod's containers as real OCI containers with podman (as root, from images in the local
 * podman storage; nothing is pulled). The pod is a podman pod: its infra container holds the
 * network namespace (loopback shared by the containers, the pod's ports published on its loopback
 * address {@code 127.0.0.N} of this machine, where the operator and the probes reach them), and
 * its IPC and UTS namespaces; each container has its own PID namespace, as in Kubernetes.
 *
 * <p>Why podman per container and not {@code podman kube play} of the operator's Pod YAML: the
 * local kubelet must report what a kubelet reports (init containers one after the other, each
 * container's state, exit code and restarts, readiness from the probes) and restart by the pod's
 * {@code restartPolicy} with back-off; {@link LocalPod} already does that for any runtime, and
 * needs of the runtime only "start this container, tell me when it exits". kube play would run
 * the pod on its own terms: a PersistentVolumeClaim becomes a podman named volume (which copies
 * the image's {@code /data} into itself on first use and so hides what an empty volume shows),
 * Secrets must be podman secrets, env from Secrets and ConfigMaps is resolved by podman against
 * its own objects, and its restarts and states are podman's, not the pod status's.
 *
 * <p>Volumes are host directories bind-mounted as a kubelet mounts a PersistentVolume: the claim
 * is an empty directory that the pod's {@code fsGroup} is applied to (by {@link PodVolumes}),
 * never a named volume. Env values reach podman through its own environment ({@code --env NAME}),
 * so no Secret value appears on a command line. The {@code securityContext} is honoured: user
 * and group, {@code fsGroup} and supplemental groups as additional groups, read-only root
 * filesystem (without podman's extra tmpfs mounts), capabilities, no_new_privs and seccomp.
 */
final class PodmanRuntime implements ContainerRuntime {

  /** Label on every pod and container this runtime creates, with the local cluster's id. */
  static final String LABEL = "agentoperator.dev/local-cluster";

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private final String podman;
  private final String hostAddress;
  private final String clusterId;
  private final ContainerEnv env;
  private final LocalStorage storage;
  private final ContainerLogs logs;
  private final KubernetesClient client;

  private PodmanRuntime(String podman, String hostAddress, String clusterId, ContainerEnv env,
      LocalStorage storage, LogSink sink, KubernetesClient client) {
    this.client = client;
    this.podman = podman;
    this.hostAddress = hostAddress;
    this.clusterId = clusterId;
    this.env = env;
    this.storage = storage;
    this.logs = new ContainerLogs(sink);
  }

  /**
   * podman, when it can run root containers on a bridge network here.
   *
   * @throws IllegalStateException saying what is missing: {@code --runtime podman} fails closed
   */
  static PodmanRuntime detect(KubernetesClient client, ContainerEnv env, LocalStorage storage,
      LogSink sink) {
    String podman = Executables.onPath("podman").map(Path::toString).orElseThrow(() ->
        new IllegalStateException("--runtime podman: podman is not installed (apt-get install"
            + " podman runc)"));
    if (!Bubblewrap.isRoot()) {
      throw new IllegalStateException("--runtime podman runs root containers (the pod's uids are"
          + " the image's, as on a node): run the local cluster as root");
    }
    Result info = run(List.of(podman, "network", "inspect", "podman", "--format",
        "{{range .Subnets}}{{.Gateway}}{{end}}"));
    if (info.exit() != 0 || info.output().isBlank()) {
      throw new IllegalStateException("--runtime podman: podman does not work here ("
          + info.output().strip() + ")");
    }
    String clusterId = Integer.toHexString(storage.home().hashCode());
    PodmanRuntime runtime = new PodmanRuntime(podman, info.output().strip(), clusterId, env,
        storage, sink, client);
    runtime.removeLeftovers();
    runtime.holdBridge();
    return runtime;
  }

  /**
   * Keeps the bridge up while the local cluster runs: podman removes it (and its gateway
   * address, where the local model gateway listens for the pods) when its last container goes.
   * An empty pod's infra container holds it.
   */
  private void holdBridge() {
    String holder = "agentop-" + clusterId + "_bridge";
    Result created = run(List.of(podman, "pod", "create", "--name", holder, "--label",
        LABEL + "=" + clusterId));
    Result started = created.exit() == 0 ? run(List.of(podman, "pod", "start", holder)) : created;
    if (started.exit() != 0) {
      throw new IllegalStateException("--runtime podman: cannot start a pod here ("
          + started.output().strip() + ")");
    }
  }

  /** Removes every pod of this local cluster, the bridge's holder last. */
  @Override
  public void close() {
    removeLeftovers();
  }

  @Override
  public String name() {
    return "podman";
  }

  /** The containers run with the pod's own ids, so volumes get exactly the fsGroup. */
  @Override
  public OptionalLong volumeGroup(long fsGroup) {
    return OptionalLong.of(fsGroup);
  }

  /** The podman bridge's gateway: this machine as the pod's network reaches it. */
  @Override
  public String hostAddressForPods() {
    return hostAddress;
  }

  @Override
  public void runPodSandbox(Pod pod, String podIp) throws PodNotStartable {
    String name = podName(pod);
    if (run(List.of(podman, "pod", "exists", name)).exit() == 0) {
      return;
    }
    List<String> argv = new ArrayList<>(List.of(podman, "pod", "create", "--name", name,
        "--label", LABEL + "=" + clusterId, "--hostname", pod.getMetadata().getName(),
        "--share", "net,ipc,uts"));
    for (int port : ports(pod)) {
      argv.addAll(List.of("--publish", podIp + ":" + port + ":" + port));
    }
    Result created = run(argv);
    if (created.exit() != 0) {
      throw new PodNotStartable("CreatePodSandboxError",
          "podman pod create failed: " + created.output().strip());
    }
    try {
      fenceEgress(pod, name);
    } catch (PodNotStartable e) {
      run(List.of(podman, "pod", "rm", "--force", "--time", "0", name));
      throw e;
    }
  }

  /**
   * Applies the egress the pod's NetworkPolicies allow inside the pod's network namespace (the
   * infra container's), before any container of the pod starts. Fails closed: a sandbox pod of
   * the operator's that no policy selects yet, or rules that cannot be applied, keep the pod from
   * starting with the reason.
   */
  private void fenceEgress(Pod pod, String name) throws PodNotStartable {
    List<NetworkPolicy> policies = PodEgressRules.selecting(
        client.network().v1().networkPolicies().inNamespace(pod.getMetadata().getNamespace())
            .list().getItems(),
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    if (policies.isEmpty()) {
      if (SessionMetadata.MANAGED_BY.equals(pod.getMetadata().getLabels() == null ? null
          : pod.getMetadata().getLabels().get(SessionMetadata.MANAGED_BY_LABEL))) {
        throw new PodNotStartable("NetworkPolicyMissing", "no NetworkPolicy selects the pod yet:"
            + " its network stays closed until the session's policy exists");
      }
      return; // as in Kubernetes: a pod no policy selects is not restricted
    }
    Result started = run(List.of(podman, "pod", "start", name));
    Result infra = started.exit() != 0 ? started : run(List.of(podman, "pod", "inspect", name,
        "--format", "{{.InfraContainerID}}"));
    Result pid = infra.exit() != 0 ? infra : run(List.of(podman, "inspect", "--format",
        "{{.State.Pid}}", infra.output().strip()));
    if (pid.exit() != 0 || !pid.output().strip().matches("[1-9][0-9]*")) {
      throw new PodNotStartable("NetworkPolicyError", "cannot find the pod's network namespace"
          + " to apply its NetworkPolicy: " + pid.output().strip());
    }
    Result applied;
    try {
      Path rules = Files.createTempFile("agentop-egress", ".rules");
      try {
        Files.writeString(rules, PodEgressRules.iptablesRestore(policies, hostAddress));
        applied = run(List.of("nsenter", "-t", pid.output().strip(), "-n", "iptables-restore",
            rules.toString()));
      } finally {
        Files.deleteIfExists(rules);
      }
    } catch (IOException e) {
      applied = new Result(-1, e.getMessage());
    }
    if (applied.exit() != 0) {
      throw new PodNotStartable("NetworkPolicyError", "cannot apply the pod's NetworkPolicy"
          + " (nsenter and iptables-restore, as root): " + applied.output().strip());
    }
  }

  @Override
  public RunningContainer start(Pod pod, Container container, Map<String, Path> volumeDirs,
      String podIp) throws PodNotStartable, IOException {
    String image = container.getImage();
    if (image == null || run(List.of(podman, "image", "exists", image)).exit() != 0) {
      throw new PodNotStartable("ErrImageNeverPull", "image " + image + " is not in the local"
          + " podman storage (the local cluster pulls nothing: build the project's images with"
          + " ./mvnw -B -DskipTests -Pimages package, or podman pull it)");
    }
    MountTable mounts = MountTable.of(container, volumeDirs);
    for (MountTable.Mount mount : mounts.mounts()) {
      if (!Files.exists(mount.dir())) {
        // A kubelet creates a missing subPath as root, 0750, before the container starts.
        Files.createDirectories(mount.dir(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
      }
    }
    Map<String, String> values = env.resolve(pod, container, podIp);
    String name = containerName(pod, container);
    List<String> argv = new ArrayList<>(List.of(podman, "create", "--rm", "--replace",
        "--name", name, "--pod", podName(pod), "--label", LABEL + "=" + clusterId,
        "--pull", "never", "--stop-timeout", Long.toString(grace(pod).toSeconds())));
    argv.addAll(securityOptions(pod, container, image));
    argv.addAll(resourceOptions(container));
    for (MountTable.Mount mount : mounts.mounts()) {
      argv.addAll(List.of("--volume",
          mount.dir() + ":" + mount.path() + (mount.readOnly() ? ":ro" : ":rw")));
    }
    // what the container writes there becomes its terminated state's message, as on a kubelet
    String terminationPath = container.getTerminationMessagePath() == null
        ? "/dev/termination-log" : container.getTerminationMessagePath();
    argv.addAll(List.of("--volume",
        new TerminationMessages(storage).hostFile(pod, container) + ":" + terminationPath + ":rw"));
    for (String variable : values.keySet()) {
      argv.addAll(List.of("--env", variable));
    }
    if (container.getWorkingDir() != null) {
      argv.addAll(List.of("--workdir", container.getWorkingDir()));
    }
    List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
    if (!command.isEmpty()) {
      argv.addAll(List.of("--entrypoint", json(command)));
    }
    argv.add(image);
    if (container.getArgs() != null) {
      argv.addAll(container.getArgs());
    }
    ProcessBuilder create = new ProcessBuilder(argv).redirectErrorStream(true);
    create.environment().putAll(values);
    Result created = run(create);
    if (created.exit() != 0) {
      throw new PodNotStartable("CreateContainerError",
          "podman create failed: " + created.output().strip());
    }
    Files.createDirectories(storage.podDir(pod));
    Process process = new ProcessBuilder(podman, "start", "--attach", name)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    logs.follow(process, storage.logFile(pod, container.getName()), pod.getMetadata().getName(),
        container.getName());
    return new PodmanContainer(podman, name, process);
  }

  @Override
  public void stopPodSandbox(Pod pod) {
    run(List.of(podman, "pod", "rm", "--force", "--time", "0", podName(pod)));
  }

  /** Pods of this local cluster left by a previous process that did not stop them. */
  private void removeLeftovers() {
    String pods = run(List.of(podman, "pod", "ps", "--quiet", "--filter",
        "label=" + LABEL + "=" + clusterId)).output();
    pods.lines().map(String::strip).filter(id -> !id.isEmpty())
        .forEach(id -> run(List.of(podman, "pod", "rm", "--force", "--time", "0", id)));
  }

  /**
   * The securityContext as a kubelet hands it to its runtime: the container's fields over the
   * pod's. {@code runAsNonRoot} is checked against the uid the container would run as.
   */
  private List<String> securityOptions(Pod pod, Container container, String image)
      throws PodNotStartable {
    SecurityContext own = container.getSecurityContext() == null ? new SecurityContext()
        : container.getSecurityContext();
    PodSecurityContext shared = pod.getSpec().getSecurityContext() == null
        ? new PodSecurityContext() : pod.getSpec().getSecurityContext();
    List<String> options = new ArrayList<>();
    Long uid = own.getRunAsUser() != null ? own.getRunAsUser() : shared.getRunAsUser();
    Long gid = own.getRunAsGroup() != null ? own.getRunAsGroup() : shared.getRunAsGroup();
    Boolean nonRoot = own.getRunAsNonRoot() != null ? own.getRunAsNonRoot()
        : shared.getRunAsNonRoot();
    if (Boolean.TRUE.equals(nonRoot) && runsAsRoot(uid, image)) {
      throw new PodNotStartable("CreateContainerConfigError",
          "container has runAsNonRoot and image will run as root (container "
              + container.getName() + ")");
    }
    if (uid != null) {
      options.addAll(List.of("--user", uid + (gid == null ? "" : ":" + gid)));
    }
    Set<Long> groups = new LinkedHashSet<>();
    if (shared.getFsGroup() != null) {
      groups.add(shared.getFsGroup());
    }
    if (shared.getSupplementalGroups() != null) {
      groups.addAll(shared.getSupplementalGroups());
    }
    groups.forEach(g -> options.addAll(List.of("--group-add", Long.toString(g))));
    if (Boolean.TRUE.equals(own.getPrivileged())) {
      options.add("--privileged");
    }
    if (Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
      options.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    if (own.getCapabilities() != null) {
      if (own.getCapabilities().getDrop() != null) {
        own.getCapabilities().getDrop().forEach(c -> options.addAll(List.of("--cap-drop", c)));
      }
      if (own.getCapabilities().getAdd() != null) {
        own.getCapabilities().getAdd().forEach(c -> options.addAll(List.of("--cap-add", c)));
      }
    }
    if (Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
      options.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    SeccompProfile seccomp = own.getSeccompProfile() != null ? own.getSeccompProfile()
        : shared.getSeccompProfile();
    if (seccomp != null) {
      switch (seccomp.getType()) {
        case "RuntimeDefault" -> { } // podman's default profile is the runtime's default
        case "Unconfined" -> options.addAll(List.of("--security-opt", "seccomp=unconfined"));
        default -> throw new PodNotStartable("CreateContainerConfigError", "seccomp profile "
            + seccomp.getType() + " is not supported by the local cluster");
      }
    }
    return options;
  }

  private boolean runsAsRoot(Long uid, String image) {
    if (uid != null) {
      return uid == 0;
    }
    String user = run(List.of(podman, "image", "inspect", "--format", "{{.Config.User}}", image))
        .output().strip();
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    return name.isEmpty() || name.equals("0") || name.equals("root");
  }

  private static List<String> resourceOptions(Container container) {
    List<String> options = new ArrayList<>();
    if (container.getResources() == null || container.getResources().getLimits() == null) {
      return options;
    }
    Quantity memory = container.getResources().getLimits().get("memory");
    if (memory != null) {
      options.addAll(List.of("--memory", Quantity.getAmountInBytes(memory).toBigInteger() + "b"));
    }
    Quantity cpu = container.getResources().getLimits().get("cpu");
    if (cpu != null) {
      options.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpu).toPlainString()));
    }
    return options;
  }

  /** Every port the pod declares or probes: reachable from this machine at the pod's address. */
  private static Set<Integer> ports(Pod pod) {
    Set<Integer> ports = new LinkedHashSet<>();
    for (Container container : pod.getSpec().getContainers()) {
      List<ContainerPort> declared =
          container.getPorts() == null ? List.of() : container.getPorts();
      declared.stream().filter(p -> !"UDP".equals(p.getProtocol()))
          .forEach(p -> ports.add(p.getContainerPort()));
      Stream.of(container.getReadinessProbe(), container.getLivenessProbe(),
              container.getStartupProbe())
          .map(PodmanRuntime::probePort).flatMap(Optional::stream).forEach(ports::add);
    }
    return ports;
  }

  private static Optional<Integer> probePort(Probe probe) {
    if (probe == null) {
      return Optional.empty();
    }
    IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
        : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
    return port == null ? Optional.empty() : Optional.ofNullable(port.getIntVal());
  }

  private Duration grace(Pod pod) {
    Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    return Duration.ofSeconds(seconds == null ? 10 : Math.min(seconds, 10));
  }

  private String podName(Pod pod) {
    // The uid's tail: a recreated pod of the same name is another podman pod.
    String uid = pod.getMetadata().getUid() == null ? "local"
        : pod.getMetadata().getUid().replace("-", "");
    return "agentop-" + clusterId + "_" + pod.getMetadata().getNamespace() + "_"
        + pod.getMetadata().getName() + "_" + uid.substring(Math.max(0, uid.length() - 12));
  }

  private String containerName(Pod pod, Container container) {
    return podName(pod) + "_" + container.getName();
  }

  private static String json(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (String value : values) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"');
      for (char c : value.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
    return out.append(']').toString();
  }

  record Result(int exit, String output) {}

  static Result run(List<String> argv) {
    return run(new ProcessBuilder(argv).redirectErrorStream(true));
  }

  private static Result run(ProcessBuilder builder) {
    try {
      builder.redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", builder.command().subList(0, 3)));
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
