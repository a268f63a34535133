package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.runnerclient.RunnerEndpoint;
import dev.agentoperator.operator.session.RunnerTokenSecret;
import dev.agentoperator.operator.session.SessionNames;
import dev.agentoperator.operator.session.SessionStatusFactory;
import dev.agentoperator.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds a session's sandbox pod and the runner endpoint in it, by the names the session side gives
 * its objects ({@link SessionNames}) and its token Secret's format ({@link RunnerTokenSecret}).
 * Tokens are cached per session (they are never rotated) and dropped when the runner refuses one.
 */
public class SessionSandboxes {

  /** PodReady reasons of a sandbox on its way up: nothing for a waiting run to report. */
  private static final Set<String> STARTING =
      Set.of(
          "PodCreated",
          "PodStarting",
          "PodTerminating",
          "PodOutdated",
          "ContainerCreating",
          "PodInitializing");

  private final Function<ResourceID, Optional<Pod>> pods;
  private final Map<ResourceID, String> tokens = new ConcurrentHashMap<>();

  public SessionSandboxes(Function<ResourceID, Optional<Pod>> pods) {
    this.pods = pods;
  }

  /**
   * The session {@code run} executes in: {@code cached} (the informer's copy) when present, else
   * read from the API, since a just-created session may not be in the cache yet. Empty when the
   * session does not exist, or when an ephemeral session's name is taken by one that is not the
   * run's: the caller then waits, and never dispatches without the session's policy.
   */
  public Optional<AgentSession> sessionOf(
      KubernetesClient client, AgentRun run, AgentSession cached) {
    AgentSession session = cached;
    if (session == null) {
      session =
          client
              .resources(AgentSession.class)
              .inNamespace(run.getMetadata().getNamespace())
              .withName(RunQueue.sessionOf(run))
              .get();
    }
    if (session == null || session.getSpec() == null) {
      return Optional.empty();
    }
    if (run.getSpec().sessionRef() == null && !EphemeralSession.belongsTo(session, run)) {
      return Optional.empty();
    }
    return Optional.of(session);
  }

  /**
   * Why the session's sandbox is not ready, as its status says, for the message of a run that
   * waits: ": " and the session's PodReady reason and message, or nothing while it is starting.
   */
  public static String whyNotReady(AgentSession session) {
    if (session == null || session.getStatus() == null) {
      return "";
    }
    var conditions = session.getStatus().getConditions();
    return Conditions.find(conditions, SessionStatusFactory.POD_READY)
        .filter(c -> "False".equals(c.getStatus()))
        .filter(c -> !STARTING.contains(c.getReason()))
        .map(c -> ": " + c.getReason() + ": " + c.getMessage())
        .orElse("");
  }

  /** The session's sandbox pod, if one exists. */
  public Optional<Pod> pod(String namespace, String session) {
    return pods.apply(new ResourceID(SessionNames.pod(session), namespace));
  }

  /** True when the pod serves: phase Running, condition Ready, an IP, and not being deleted. */
  public static boolean isReady(Pod pod) {
    if (pod == null
        || pod.getMetadata().getDeletionTimestamp() != null
        || pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || pod.getStatus().getPodIP() == null) {
      return false;
    }
    return pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** True when the pod is gone for good: being deleted, or Failed or Succeeded. */
  public static boolean isLost(Pod pod) {
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return true;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** The runner endpoint of a ready pod, when the session's token Secret can be read. */
  public Optional<RunnerEndpoint> endpoint(KubernetesClient client, String session, Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    ResourceID key = new ResourceID(session, namespace);
    String token =
        tokens.computeIfAbsent(
            key,
            k -> {
              Secret secret =
                  client.secrets().inNamespace(namespace).withName(SessionNames.runnerTokenSecret(session)).get();
              return RunnerTokenSecret.tokenOf(secret);
            });
    if (token == null) {
      return Optional.empty();
    }
    return Optional.of(new RunnerEndpoint(pod.getStatus().getPodIP(), token));
  }

  /** Forgets a cached token, after the runner refused it. */
  public void forgetToken(String namespace, String session) {
    tokens.remove(new ResourceID(session, namespace));
  }
}
