package dev.agentoperator.operator.dev.kubelet;

import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.operator.dev.storage.LocalStorage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Starts one container as a local process: its image mapped to a command, its env resolved, its
 * output appended to the pod's log file and echoed to a {@link LogSink}. Our runner binary runs as
 * a host process with container paths rewritten to host directories; any other command (the
 * sandbox container's, an image's own) runs isolated by {@link Bubblewrap} with its mounts at their
 * container paths, or, where bubblewrap is missing, as a host process too (and the runtime says
 * so once). Every process starts with umask 0002, as the images do, so the pod's containers share
 * the workspace through its fsGroup.
 */
final class ContainerLauncher implements ContainerRuntime {

  /** {@code 0.0.0.0:PORT} means "all interfaces" in a pod; locally, the pod's own address. */
  private static final Pattern BIND_ALL = Pattern.compile("^0\\.0\\.0\\.0:([0-9]+)$");

  /** The runner's variable naming the sandbox's group when it is not the runner's own. */
  static final String SANDBOX_GID_ENV = "AGENT_SANDBOX_GID";

  // What an image's PATH is when it does not set one (the Docker default).
  private static final String IMAGE_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final LocalImages images;
  private final ContainerEnv env;
  private final LocalStorage storage;
  private final ContainerLogs logs;
  private final SandboxIsolation isolation;

  ContainerLauncher(LocalImages images, ContainerEnv env, LocalStorage storage, LogSink sink,
      SandboxIsolation isolation) {
    this.images = images;
    this.env = env;
    this.storage = storage;
    this.logs = new ContainerLogs(sink);
    this.isolation = isolation;
  }

  @Override
  public String name() {
    return switch (isolation) {
      case SandboxIsolation.Isolated isolated -> "bwrap";
      case SandboxIsolation.Refused refused -> "process (tools refused: no isolation)";
      case SandboxIsolation.Unisolated unisolated -> "process (tools NOT isolated)";
    };
  }

  /**
   * Under root, volumes get the fsGroup as the sandboxed containers see it (mapped ids); without
   * bubblewrap every container is a process of this user, and the volumes stay this user's.
   */
  @Override
  public OptionalLong volumeGroup(long fsGroup) {
    return Bubblewrap.isRoot() && isolation instanceof SandboxIsolation.Isolated
        ? OptionalLong.of(Bubblewrap.HOST_ID_OFFSET + fsGroup)
        : OptionalLong.empty();
  }

  /** The runner is a host process here; the sandbox has no network at all. */
  @Override
  public String hostAddressForPods() {
    return "127.0.0.1";
  }

  /** Each container has namespaces of its own (or none): there is no pod sandbox to set up. */
  @Override
  public void runPodSandbox(Pod pod, String podIp) {}

  @Override
  public void stopPodSandbox(Pod pod) {}

  @Override
  public RunningContainer start(Pod pod, Container container, Map<String, Path> volumeDirs,
      String podIp) throws PodNotStartable, IOException {
    LocalImages.LocalCommand local =
        images.commandLine(container)
            .orElseThrow(() -> new PodNotStartable("ErrImageNeverPull",
                "image " + container.getImage() + " has no local equivalent (the local cluster"
                    + " runs only the runner image, as the runner jar)"));
    MountTable mounts = MountTable.of(container, volumeDirs);
    if (local.runsImageCommand() && isolation instanceof SandboxIsolation.Isolated isolated) {
      return startIsolated(pod, container, local, mounts, podIp, isolated.bubblewrap());
    }
    Path podDir = storage.podDir(pod);
    Path tmp = mounts.hostDir("/tmp").orElse(podDir.resolve("tmp"));
    Path home = podDir.resolve("home");
    Files.createDirectories(tmp);
    Files.createDirectories(home);

    List<String> command = new ArrayList<>(local.executable());
    if (!command.isEmpty() && command.getFirst().endsWith("/java")) {
      command.add(1, "-Djava.io.tmpdir=" + tmp);
    }
    for (String argument : local.arguments()) {
      command.add(mounts.rewrite(argument));
    }
    if (command.isEmpty()) {
      throw new PodNotStartable("RunContainerError",
          "container " + container.getName() + " has no command and its image no entrypoint");
    }
    ProcessBuilder builder = new ProcessBuilder(withUmask(command));
    Map<String, String> processEnv = builder.environment();
    processEnv.clear();
    processEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    processEnv.put("LANG", "C.UTF-8");
    processEnv.put("HOME", home.toString());
    processEnv.put("TMPDIR", tmp.toString());
    processEnv.put("HOSTNAME", pod.getMetadata().getName());
    local.baseEnv()
        .forEach((name, value) -> processEnv.put(name, localValue(value, mounts, podIp)));
    env.resolve(pod, container, podIp)
        .forEach((name, value) -> processEnv.put(name, localValue(value, mounts, podIp)));
    // Under root the runner is a host process (uid 0) and the sandbox's group on the volumes is
    // the mapped fsGroup, which the runner's own ids do not show: init-workspace checks that the
    // sandbox's group can write the workspace, so it is told which group that is.
    Long fsGroup = pod.getSpec().getSecurityContext() == null ? null
        : pod.getSpec().getSecurityContext().getFsGroup();
    if (fsGroup != null) {
      volumeGroup(fsGroup).ifPresent(
          group -> processEnv.putIfAbsent(SANDBOX_GID_ENV, Long.toString(group)));
    }
    if (local.runsImageCommand() && isolation instanceof SandboxIsolation.Refused refused) {
      // Last, so no env of the pod (a session's sandbox.env) can clear it: the executor then
      // answers every call with the reason and runs nothing of the agent's.
      processEnv.put(RunnerEnv.EXECUTOR_REFUSAL, refused.reason());
    }
    String workingDir = container.getWorkingDir();
    builder.directory(
        workingDir == null ? podDir.toFile() : Path.of(mounts.rewrite(workingDir)).toFile());
    return launch(pod, container, builder);
  }

  /**
   * The container in its own namespaces. Its environment is exactly the container's: bubblewrap's
   * own process is PID 1 inside, and its {@code /proc/1/environ} is readable there.
   */
  private ProcessTree startIsolated(Pod pod, Container container, LocalImages.LocalCommand local,
      MountTable mounts, String podIp, Bubblewrap bubblewrap) throws PodNotStartable, IOException {
    if (local.arguments().isEmpty()) {
      throw new PodNotStartable("RunContainerError",
          "container " + container.getName() + " has no command and its image no entrypoint");
    }
    for (MountTable.Mount mount : mounts.mounts()) {
      Files.createDirectories(mount.dir());
    }
    long uid = runAs(pod, container, true);
    long gid = runAs(pod, container, false);
    String workingDir = container.getWorkingDir() == null ? "/" : container.getWorkingDir();
    List<String> command = bubblewrap.command(new Bubblewrap.Sandboxed(local.imageRoot(),
        mounts.mounts(), workingDir, uid, gid, pod.getMetadata().getName(),
        withUmask(local.arguments())));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> processEnv = builder.environment();
    processEnv.clear();
    processEnv.put("PATH", IMAGE_PATH);
    processEnv.put("HOSTNAME", pod.getMetadata().getName());
    processEnv.put("HOME", "/");
    processEnv.putAll(env.resolve(pod, container, podIp));
    builder.directory(storage.podDir(pod).toFile());
    return launch(pod, container, builder);
  }

  private ProcessTree launch(Pod pod, Container container, ProcessBuilder builder)
      throws IOException {
    Files.createDirectories(storage.podDir(pod));
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));

    Process process = builder.start();
    logs.follow(process, storage.logFile(pod, container.getName()), pod.getMetadata().getName(),
        container.getName());
    return new ProcessTree(process);
  }

  /** The container's uid (or gid): its own securityContext, else the pod's, else the uid. */
  private static long runAs(Pod pod, Container container, boolean user) {
    SecurityContext own = container.getSecurityContext();
    PodSecurityContext shared = pod.getSpec().getSecurityContext();
    Long value = null;
    if (own != null) {
      value = user ? own.getRunAsUser() : own.getRunAsGroup();
    }
    if (value == null && shared != null) {
      value = user ? shared.getRunAsUser() : shared.getRunAsGroup();
    }
    if (value == null && !user) {
      return runAs(pod, container, true);
    }
    return value == null ? 65534L : value;
  }

  /** As the images' entrypoints do: files the process creates stay group-writable. */
  private static List<String> withUmask(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "umask 0002 && exec \"$@\"",
        "sh"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static String localValue(String value, MountTable mounts, String podIp) {
    var bindAll = BIND_ALL.matcher(value);
    if (bindAll.matches()) {
      return podIp + ":" + bindAll.group(1);
    }
    return mounts.rewrite(value);
  }
}
