package dev.agentoperator.operator.dev.kubelet;

import dev.agentoperator.operator.dev.storage.LocalStorage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's kubelet: watches every Pod and runs it ({@link LocalPod}) on a container
 * runtime (host processes with bubblewrap, or podman), each pod with its own loopback address as
 * {@code status.podIP}. A deleted pod's process tree is
 * killed; its PersistentVolumeClaim directories stay.
 */
public final class LocalPodRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPodRuntime.class);

  private final KubernetesClient client;
  private final Parts parts;
  private final LoopbackAddresses addresses;
  private final Clock clock;
  private final Map<String, LocalPod> pods = new ConcurrentHashMap<>();
  private final Optional<SandboxIsolation> isolation;
  private SharedIndexInformer<Pod> informer;

  /** What every local pod needs. */
  record Parts(
      PodVolumes volumes,
      ContainerRuntime runtime,
      LocalPod.StatusWriter statusWriter,
      Duration restartBackoff,
      TerminationMessages terminationMessages) {}

  /**
   * @param images how images map to local commands
   * @param storage the dev home's layout
   * @param sink where container output is echoed
   * @param podPort the port every pod serves on (the runner's), used to pick free addresses
   * @param restartBackoff first wait before a container restarts; doubles up to 30 s
   * @param kind which container runtime runs the pods
   * @param isolation what the bwrap runtime looks for to isolate the sandbox ({@link
   *     SandboxIsolation}); podman isolates with its containers
   * @throws IllegalStateException when {@code kind} cannot run here, saying why
   */
  public LocalPodRuntime(KubernetesClient client, LocalImages images, LocalStorage storage,
      LogSink sink, int podPort, Duration restartBackoff, Clock clock, RuntimeKind kind,
      SandboxIsolation.Request isolation) {
    this.client = client;
    this.clock = clock;
    this.addresses = new LoopbackAddresses(podPort);
    ContainerEnv env = new ContainerEnv(client);
    ContainerRuntime runtime = switch (kind) {
      case BWRAP -> {
        this.isolation = Optional.of(SandboxIsolation.choose(isolation));
        yield new ContainerLauncher(images, env, storage, sink, this.isolation.get());
      }
      case PODMAN -> {
        this.isolation = Optional.empty();
        yield PodmanRuntime.detect(client, env, storage, sink);
      }
    };
    this.parts = new Parts(
        new PodVolumes(client, storage, runtime),
        runtime,
        LocalPod.through(client),
        restartBackoff,
        new TerminationMessages(storage));
  }

  /** One line for the user when the sandbox is not isolated (tools refused, or unisolated). */
  public Optional<String> isolationNotice() {
    return isolation.flatMap(SandboxIsolation::notice);
  }

  /** The name of the runtime running the pods, e.g. {@code podman}. */
  public String runtimeName() {
    return parts.runtime().name();
  }

  /** This machine's address as the pods reach it (where a local service must listen for them). */
  public String hostAddressForPods() {
    return parts.runtime().hostAddressForPods();
  }

  /** Starts watching pods in every namespace. */
  public LocalPodRuntime start() {
    return start(Map.of());
  }

  /**
   * Starts watching the pods with all of {@code labels} in every namespace: on a shared API server
   * only the operator's own pods are this kubelet's to run.
   */
  public LocalPodRuntime start(Map<String, String> labels) {
    informer = client.pods().inAnyNamespace().withLabels(labels)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            admit(pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
              evict(pod);
            } else {
              admit(pod);
            }
          }

          @Override
          public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            evict(pod);
          }
        });
    return this;
  }

  /**
   * The local process of a pod's running container, e.g. to kill it in a test. On podman it is the
   * attached {@code podman start} client: killing it does not stop the container.
   */
  public Optional<ProcessHandle> process(String namespace, String pod, String container) {
    return pods.values().stream()
        .filter(p -> p.namespace().equals(namespace) && p.name().equals(pod))
        .findFirst()
        .flatMap(p -> p.process(container));
  }

  /** How many pods currently run locally. */
  public int size() {
    return pods.size();
  }

  private void admit(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (uid == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    pods.computeIfAbsent(uid, key -> {
      String ip = addresses.allocate();
      LOG.info("pod {}/{} scheduled locally at {}", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), ip);
      LocalPod local = new LocalPod(pod, ip, parts, clock);
      local.start();
      return local;
    });
  }

  private void evict(Pod pod) {
    LocalPod local = pods.remove(pod.getMetadata().getUid());
    if (local != null) {
      Thread.ofVirtual().name("evict-" + local.name()).start(() -> {
        local.stop();
        addresses.release(local.podIp());
        LOG.info("pod {}/{} deleted: its processes are stopped", local.namespace(), local.name());
      });
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    pods.values().parallelStream().forEach(LocalPod::stop);
    pods.clear();
    parts.runtime().close();
  }
}
