package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.session.SessionMetadata;
import dev.agentoperator.operator.session.SessionNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the run reconciler watches besides AgentRuns: sandbox pods and AgentSessions, each mapped to
 * the unfinished runs of their session (so a pod becoming ready dispatches the head of the queue),
 * and an index of runs by session over the primary cache (the queue).
 */
final class RunWatches {

  static final String SESSION_INDEX = "agentoperator.dev/session";
  static final String MANAGED_PODS =
      SessionMetadata.MANAGED_BY_LABEL + "=" + SessionMetadata.MANAGED_BY;

  private final EventSourceContext<AgentRun> context;
  private final InformerEventSource<Pod, AgentRun> pods;
  private final InformerEventSource<AgentSession, AgentRun> sessions;

  RunWatches(EventSourceContext<AgentRun> context) {
    this.context = context;
    context
        .getPrimaryCache()
        .addIndexer(
            SESSION_INDEX,
            r -> List.of(key(r.getMetadata().getNamespace(), RunQueue.sessionOf(r))));
    pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, AgentRun.class)
                .withName("sandbox-pods")
                .withLabelSelector(MANAGED_PODS)
                .withSecondaryToPrimaryMapper(
                    pod ->
                        unfinishedRuns(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getLabels() == null
                                ? null
                                : pod.getMetadata().getLabels().get(SessionMetadata.SESSION_LABEL)))
                .build(),
            context);
    sessions =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(AgentSession.class, AgentRun.class)
                .withName("sessions")
                .withSecondaryToPrimaryMapper(
                    s -> unfinishedRuns(s.getMetadata().getNamespace(), s.getMetadata().getName()))
                .build(),
            context);
  }

  /** The informer event sources to register. */
  List<EventSource<?, AgentRun>> sources() {
    return List.of(pods, sessions);
  }

  /** A pod from the informer cache. */
  Optional<Pod> pod(ResourceID id) {
    return pods.get(id);
  }

  /** The session a run executes in, from the informer cache. */
  AgentSession sessionOf(AgentRun run) {
    return sessions
        .get(new ResourceID(RunQueue.sessionOf(run), run.getMetadata().getNamespace()))
        .orElse(null);
  }

  /** The session's sandbox pod, from the informer cache. */
  Pod podOf(AgentRun run) {
    return pods.get(
            new ResourceID(
                SessionNames.pod(RunQueue.sessionOf(run)),
                run.getMetadata().getNamespace()))
        .orElse(null);
  }

  /** Every run of a session, from the primary cache. */
  List<AgentRun> runsOf(String namespace, String session) {
    return context.getPrimaryCache().byIndex(SESSION_INDEX, key(namespace, session));
  }

  private Set<ResourceID> unfinishedRuns(String namespace, String session) {
    if (session == null) {
      return Set.of();
    }
    return runsOf(namespace, session).stream()
        .filter(
            r ->
                r.getStatus() == null
                    || r.getStatus().getPhase() == null
                    || !r.getStatus().getPhase().isTerminal())
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String key(String namespace, String session) {
    return namespace + "/" + session;
  }
}
