package dev.agentoperator.operator.dev.kubelet;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A container of {@link PodmanRuntime}: {@code podman start --attach} is the process to wait on
 * (it exits with the container's exit code); stopping goes through podman, since killing the
 * attached client would leave the container running. The container's own processes live in its
 * PID namespace and end with its main process, so nothing is left to hunt for.
 */
final class PodmanContainer implements RunningContainer {

  private final String podman;
  private final String name;
  private final Process attached;

  PodmanContainer(String podman, String name, Process attached) {
    this.podman = podman;
    this.name = name;
    this.attached = attached;
  }

  @Override
  public Process process() {
    return attached;
  }

  @Override
  public void observe() {}

  @Override
  public void kill(Duration grace) {
    PodmanRuntime.run(List.of(podman, "stop", "--ignore", "--time",
        Long.toString(Math.max(0, grace.toSeconds())), name));
    try {
      if (!attached.waitFor(5, TimeUnit.SECONDS)) {
        attached.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      attached.destroyForcibly();
    }
    PodmanRuntime.run(List.of(podman, "rm", "--force", "--ignore", "--time", "0", name));
  }

  @Override
  public void killOrphans() {}
}
