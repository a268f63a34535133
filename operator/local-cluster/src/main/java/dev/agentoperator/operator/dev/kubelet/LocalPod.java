package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod played by the local runtime: volumes, init containers one after the other, then the
 * containers, supervised until the pod ends or is deleted. Status (phase, IP, conditions,
 * container states, exit codes, restart counts) is written back the way a kubelet writes it.
 */
final class LocalPod {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPod.class);
  private static final Duration TICK = Duration.ofMillis(200);
  private static final Duration PROBE_WHEN_READY = Duration.ofSeconds(1);
  /** A kubelet waits terminationGracePeriodSeconds (30 s default); a laptop need not wait so long. */
  private static final Duration MAX_KILL_GRACE = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Pod pod;
  private final String podIp;
  private final LocalPodRuntime.Parts parts;
  private final Clock clock;
  private final List<ContainerSlot> initSlots;
  private final List<ContainerSlot> slots;
  private final ReadinessProbe readiness;
  private final Instant startTime;
  private volatile boolean stopped;
  private volatile Thread thread;
  private boolean initialized;
  private String phase = "Pending";
  private String pendingMessage;
  private PodStatus published;

  LocalPod(Pod pod, String podIp, LocalPodRuntime.Parts parts, Clock clock) {
    this.pod = pod;
    this.podIp = podIp;
    this.parts = parts;
    this.clock = clock;
    List<Container> inits = pod.getSpec().getInitContainers();
    this.initSlots = (inits == null ? List.<Container>of() : inits).stream()
        .map(ContainerSlot::new).toList();
    this.slots = pod.getSpec().getContainers().stream().map(ContainerSlot::new).toList();
    this.readiness = new ReadinessProbe(podIp);
    this.startTime = clock.instant();
  }

  String name() {
    return pod.getMetadata().getName();
  }

  String namespace() {
    return pod.getMetadata().getNamespace();
  }

  String uid() {
    return pod.getMetadata().getUid();
  }

  String podIp() {
    return podIp;
  }

  /** The process of a running container, to signal it (e.g. SIGKILL in a test). */
  Optional<ProcessHandle> process(String container) {
    return slots.stream()
        .filter(s -> s.container().getName().equals(container))
        .map(ContainerSlot::tree)
        .filter(t -> t != null)
        .map(t -> t.process().toHandle())
        .findFirst();
  }

  void start() {
    thread = Thread.ofVirtual().name("pod-" + namespace() + "-" + name()).start(this::supervise);
  }

  /** Kills every process of the pod and stops supervising it. */
  void stop() {
    stopped = true;
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
    for (ContainerSlot slot : allSlots()) {
      RunningContainer tree = slot.tree();
      if (tree != null) {
        tree.kill(killGrace());
      }
    }
    if (running != null) {
      try {
        running.join(killGrace().plusSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    parts.runtime().stopPodSandbox(pod);
    parts.volumes().release(pod);
  }

  private Duration killGrace() {
    Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    return seconds == null ? MAX_KILL_GRACE : min(Duration.ofSeconds(seconds), MAX_KILL_GRACE);
  }

  private List<ContainerSlot> allSlots() {
    return Stream.concat(initSlots.stream(), slots.stream()).toList();
  }

  private void supervise() {
    try {
      Map<String, Path> volumes = prepareVolumes();
      for (ContainerSlot init : initSlots) {
        if (!runToCompletion(volumes, init)) {
          return;
        }
      }
      initialized = true;
      publish();
      superviseContainers(volumes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!stopped) {
        LOG.warn("local pod {}/{} stopped supervising: {}", namespace(), name(), e.toString());
      }
    } finally {
      if (stopped) {
        allSlots().stream().map(ContainerSlot::tree).filter(t -> t != null)
            .forEach(t -> t.kill(Duration.ZERO));
      }
    }
  }

  private Map<String, Path> prepareVolumes() throws InterruptedException {
    while (!stopped) {
      try {
        Map<String, Path> dirs = parts.volumes().prepare(pod);
        parts.runtime().runPodSandbox(pod, podIp);
        pendingMessage = null;
        return dirs;
      } catch (PodNotStartable e) {
        pendingMessage = e.getMessage();
        allSlots().forEach(s -> s.cannotStart(e.reason(), e.getMessage()));
        publish();
      } catch (IOException e) {
        pendingMessage = "could not prepare the pod's volumes or network: " + e.getMessage();
        publish();
      }
      Thread.sleep(Duration.ofSeconds(1));
    }
    throw new InterruptedException("pod deleted");
  }

  /** Runs an init container until it succeeds; false when the pod failed or was deleted. */
  private boolean runToCompletion(Map<String, Path> volumes, ContainerSlot init)
      throws InterruptedException {
    Duration backoff = parts.restartBackoff();
    while (!stopped) {
      if (!tryStart(volumes, init)) {
        Thread.sleep(Duration.ofSeconds(1));
        continue;
      }
      RunningContainer tree = init.tree();
      int exit = tree.process().waitFor();
      tree.killOrphans();
      boolean retry = exit != 0 && !"Never".equals(restartPolicy());
      exited(init, exit, retry ? backoff : null);
      if (exit == 0) {
        publish();
        return true;
      }
      if (!retry) {
        phase = "Failed";
        publish();
        return false;
      }
      publish();
      Thread.sleep(backoff);
      backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
    }
    return false;
  }

  private void superviseContainers(Map<String, Path> volumes) throws InterruptedException {
    Duration[] backoffs = slots.stream().map(s -> parts.restartBackoff()).toArray(Duration[]::new);
    while (!stopped) {
      Instant now = clock.instant();
      for (int i = 0; i < slots.size(); i++) {
        ContainerSlot slot = slots.get(i);
        RunningContainer tree = slot.tree();
        if (tree != null) {
          tree.observe();
          if (!tree.process().isAlive()) {
            int exit = tree.process().exitValue();
            tree.killOrphans();
            boolean restart = restarts(exit);
            exited(slot, exit, restart ? backoffs[i] : null);
            if (restart) {
              backoffs[i] = min(backoffs[i].multipliedBy(2), MAX_BACKOFF);
            }
          } else if (slot.dueToProbe(now)) {
            slot.probeResult(readiness.check(slot.container()));
            // Probe every tick until ready (a run waits for it), then once a second.
            slot.probed(now, slot.ready() ? PROBE_WHEN_READY : TICK);
          }
        } else if (slot.dueToStart(now) && (!slot.everStarted() || slot.lastExitCode() == null
            || restarts(slot.lastExitCode()))) {
          tryStart(volumes, slot);
        }
      }
      phase = phase();
      publish();
      if (phase.equals("Succeeded") || phase.equals("Failed")) {
        return;
      }
      Thread.sleep(TICK);
    }
  }

  /** Records a container's exit with its termination message, as a kubelet reports it. */
  private void exited(ContainerSlot slot, int exit, Duration restartIn) {
    String message = parts.terminationMessages().of(pod, slot.container(), exit);
    slot.exited(exit, message, clock.instant(), restartIn);
  }

  private boolean tryStart(Map<String, Path> volumes, ContainerSlot slot) {
    try {
      RunningContainer tree = parts.runtime().start(pod, slot.container(), volumes, podIp);
      slot.started(tree, clock.instant());
      LOG.info("pod {}/{}: started container {} (pid {})", namespace(), name(),
          slot.container().getName(), tree.process().pid());
      return true;
    } catch (PodNotStartable e) {
      slot.cannotStart(e.reason(), e.getMessage());
    } catch (IOException e) {
      slot.cannotStart("RunContainerError", e.getMessage());
    }
    publish();
    return false;
  }

  private boolean restarts(int exitCode) {
    return switch (restartPolicy()) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  private String restartPolicy() {
    String policy = pod.getSpec().getRestartPolicy();
    return policy == null ? "Always" : policy;
  }

  private String phase() {
    boolean anyAlive = slots.stream().anyMatch(s -> s.running() || (s.everStarted()
        && s.lastExitCode() != null && restarts(s.lastExitCode())));
    if (anyAlive) {
      return "Running";
    }
    boolean allDone = slots.stream().allMatch(s -> s.lastExitCode() != null);
    if (allDone) {
      return slots.stream().allMatch(s -> s.lastExitCode() == 0) ? "Succeeded" : "Failed";
    }
    return slots.stream().anyMatch(ContainerSlot::everStarted) ? "Running" : "Pending";
  }

  private synchronized void publish() {
    if (stopped) {
      return;
    }
    boolean allReady = slots.stream().allMatch(ContainerSlot::ready);
    PodStatus status = new PodStatusBuilder()
        .withPhase(phase)
        .withMessage(pendingMessage)
        .withPodIP(podIp)
        .addNewPodIP(podIp)
        .withHostIP("127.0.0.1")
        .withStartTime(ContainerSlot.time(startTime))
        .withConditions(
            condition("PodScheduled", true),
            condition("Initialized", initialized),
            condition("ContainersReady", allReady),
            condition("Ready", allReady))
        .withInitContainerStatuses(initSlots.stream().map(s -> s.status(true)).toList())
        .withContainerStatuses(slots.stream().map(s -> s.status(false)).toList())
        .build();
    if (status.equals(published)) {
      return;
    }
    try {
      parts.statusWriter().write(pod, status, published);
      published = status;
    } catch (KubernetesClientException e) {
      LOG.debug("pod {}/{}: status not written: {}", namespace(), name(), e.getMessage());
    }
  }

  private PodCondition condition(String type, boolean value) {
    PodCondition previous = published == null ? null : published.getConditions().stream()
        .filter(c -> c.getType().equals(type)).findFirst().orElse(null);
    String status = value ? "True" : "False";
    String since = previous != null && previous.getStatus().equals(status)
        ? previous.getLastTransitionTime() : ContainerSlot.time(clock.instant());
    return new PodConditionBuilder().withType(type).withStatus(status)
        .withLastTransitionTime(since).build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Writes a pod's status; separated so the supervisor does not know the API's quirks. */
  interface StatusWriter {
    void write(Pod pod, PodStatus status, PodStatus previous);
  }

  /** Status writes through the API: read the current pod, replace its status subresource. */
  static StatusWriter through(KubernetesClient client) {
    return (pod, status, previous) -> {
      for (int attempt = 0; attempt < 5; attempt++) {
        Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName()).get();
        if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
          return;
        }
        current.setStatus(status);
        try {
          client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(current)
              .updateStatus();
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
      }
    };
  }
}
