package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.session.SessionAction.CountVanishedPod;
import dev.agentoperator.operator.session.SessionAction.CreateClaim;
import dev.agentoperator.operator.session.SessionAction.CreateGatewayToken;
import dev.agentoperator.operator.session.SessionAction.CreateNetworkPolicy;
import dev.agentoperator.operator.session.SessionAction.CreatePod;
import dev.agentoperator.operator.session.SessionAction.CreateRunnerToken;
import dev.agentoperator.operator.session.SessionAction.DeletePod;
import dev.agentoperator.operator.session.SessionAction.GrowClaim;
import dev.agentoperator.operator.session.SessionAction.KeepClaimSize;
import dev.agentoperator.operator.session.SessionAction.ResetBackoff;
import dev.agentoperator.operator.session.SessionAction.UpdateNetworkPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.security.SecureRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs a session decision's actions against the API and the pod memory, in the order decided.
 * Creating is idempotent: an object that already exists (the cache lagged) is kept as it is.
 */
final class SessionActor {

  private static final Logger LOG = LoggerFactory.getLogger(SessionActor.class);

  private final SecureRandom random;
  private final PodRecreations recreations;

  SessionActor(SecureRandom random, PodRecreations recreations) {
    this.random = random;
    this.recreations = recreations;
  }

  /**
   * @param podCreated told of a pod just created, so the next reconcile sees it even before the
   *     informer's watch event arrives
   */
  void perform(
      SessionObservation seen,
      SessionDecision decision,
      KubernetesClient client,
      Consumer<Pod> podCreated) {
    AgentSession session = seen.session();
    String key = ResourceID.fromResource(session).toString();
    for (SessionAction action : decision.actions()) {
      switch (action) {
        case CreateClaim c -> createIfAbsent(client, c.desired());
        case GrowClaim g ->
            client
                .persistentVolumeClaims()
                .inNamespace(seen.claim().getMetadata().getNamespace())
                .withName(seen.claim().getMetadata().getName())
                .edit(c -> WorkspaceClaim.withRequestedStorage(c, g.wanted()));
        case KeepClaimSize k ->
            LOG.warn(
                "namespace={} name={} kind=AgentSession workspace.size {} is below the claim's {};"
                    + " a claim cannot shrink, it keeps its size",
                session.getMetadata().getNamespace(),
                session.getMetadata().getName(),
                k.wanted(),
                k.current());
        case CreateRunnerToken t ->
            createIfAbsent(
                client, RunnerTokenSecret.desired(session, RunnerTokenSecret.newToken(random)));
        case CreateGatewayToken t ->
            createIfAbsent(
                client,
                GatewayTokenSecret.desired(session, GatewayTokenSecret.newToken(session, random)));
        case CreateNetworkPolicy p -> createIfAbsent(client, p.desired());
        case UpdateNetworkPolicy p -> client.resource(p.desired()).update();
        case CountVanishedPod v -> recreations.vanished(key, seen.now());
        case CreatePod p -> {
          Pod created = createIfAbsent(client, p.desired());
          recreations.created(key);
          if (created != null) {
            podCreated.accept(created);
          }
        }
        case DeletePod d -> {
          recreations.deleted(key, d.failed(), seen.now());
          client.resource(seen.pod()).delete();
        }
        case ResetBackoff r -> recreations.serving(key);
      }
    }
  }

  /**
   * Creates {@code resource} and returns the stored object; one that already exists (the cache
   * lagged) is kept as it is and null returned.
   */
  private static <T extends HasMetadata> T createIfAbsent(KubernetesClient client, T resource) {
    try {
      return client.resource(resource).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }
}
