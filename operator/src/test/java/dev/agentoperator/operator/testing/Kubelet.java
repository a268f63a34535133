package dev.agentoperator.operator.testing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Plays the kubelet for the mock API server: when a sandbox pod appears it starts that pod's runner
 * (a {@link FakeRunner} on its own loopback address, with the token the pod's env refers to) and
 * reports the pod Running and Ready with that IP; when the pod goes away its runner crashes, as a
 * real container would die with its pod.
 */
public final class Kubelet implements AutoCloseable {

  private static final String SESSION_LABEL = "agentoperator.dev/session";

  private final KubernetesClient client;
  private final int runnerPort;
  private final Function<String, RunScript> scripts;
  private final Map<String, FakeRunner> runners = new ConcurrentHashMap<>();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private final AtomicInteger nextAddress = new AtomicInteger(1);
  private final AtomicInteger podsStarted = new AtomicInteger();
  private SharedIndexInformer<Pod> informer;

  public Kubelet(KubernetesClient client, int runnerPort, Function<String, RunScript> scripts) {
    this.client = client;
    this.runnerPort = runnerPort;
    this.scripts = scripts;
  }

  /** The n-th loopback address (1-based): 127.0.0.1 to 127.0.0.250, then 127.0.1.1 and on. */
  private static String address(int n) {
    return "127.0." + (n - 1) / 250 + "." + ((n - 1) % 250 + 1);
  }

  /** Starts watching sandbox pods. */
  public void start() {
    informer =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(SESSION_LABEL)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    schedule(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    schedule(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    FakeRunner runner = runners.get(sessionOf(pod));
                    if (runner != null) {
                      runner.crash();
                    }
                  }
                });
  }

  /** The runner of a session's pod (created when its first pod was scheduled). */
  public FakeRunner runnerOf(String session) {
    return runners.get(session);
  }

  /** How many pods this kubelet has started. */
  public int podsStarted() {
    return podsStarted.get();
  }

  private synchronized void schedule(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null
        || (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()))) {
      return;
    }
    String session = sessionOf(pod);
    String token = tokenOf(pod);
    if (token == null) {
      return; // the Secret is not there yet; a later pod event retries
    }
    String ip = addresses.computeIfAbsent(session, s -> address(nextAddress.getAndIncrement()));
    FakeRunner runner =
        runners.computeIfAbsent(session, s -> new FakeRunner(ip, runnerPort, scripts));
    try {
      runner.crash(); // a new pod is a new process
      runner.start(token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String now = Instant.now().toString();
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.setStatus(
                  new PodStatusBuilder()
                      .withPhase("Running")
                      .withPodIP(ip)
                      .withStartTime(now)
                      .withConditions(
                          new PodConditionBuilder()
                              .withType("Ready")
                              .withStatus("True")
                              .withLastTransitionTime(now)
                              .build())
                      .build());
              return p;
            });
    podsStarted.incrementAndGet();
  }

  private String tokenOf(Pod pod) {
    for (var container : pod.getSpec().getContainers()) {
      for (EnvVar env : container.getEnv()) {
        if ("AGENT_RUNNER_TOKEN".equals(env.getName())
            && env.getValueFrom() != null
            && env.getValueFrom().getSecretKeyRef() != null) {
          var ref = env.getValueFrom().getSecretKeyRef();
          Secret secret =
              client
                  .secrets()
                  .inNamespace(pod.getMetadata().getNamespace())
                  .withName(ref.getName())
                  .get();
          if (secret == null
              || secret.getData() == null
              || secret.getData().get(ref.getKey()) == null) {
            return null;
          }
          return new String(
              Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
              StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static String sessionOf(Pod pod) {
    return pod.getMetadata().getLabels().get(SESSION_LABEL);
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    runners.values().forEach(FakeRunner::close);
  }
}
