package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the session reconciler keeps of an AgentRun in its informer cache: enough for {@link
 * SessionRuns} and the run-to-session mapping (names, times, session reference or template, phase,
 * conditions, snapshot), without the prompt, result, step lines, approvals, managed fields or
 * annotations. Finished runs stay cached until their TTL, so these bytes add up per run.
 */
final class SessionRunView {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Set<String> SPEC_KEPT = Set.of("sessionRef", "sessionTemplate");

  private SessionRunView() {}

  /** A trimmed copy of {@code run}; the cached original is not changed. */
  static AgentRun of(AgentRun run) {
    AgentRun view = new AgentRun();
    view.setMetadata(
        new ObjectMetaBuilder(run.getMetadata())
            .withManagedFields((List<ManagedFieldsEntry>) null)
            .withAnnotations(null)
            .build());
    if (run.getSpec() != null) {
      Map<?, ?> spec = JSON.convertValue(run.getSpec(), Map.class);
      spec.keySet().retainAll(SPEC_KEPT);
      view.setSpec(JSON.convertValue(spec, AgentRunSpec.class));
    }
    AgentRunStatus status = run.getStatus();
    if (status != null) {
      view.setStatus(
          new AgentRunStatus()
              .setObservedGeneration(status.getObservedGeneration())
              .setPhase(status.getPhase())
              .setConditions(status.getConditions())
              .setSession(status.getSession())
              .setStartTime(status.getStartTime())
              .setCompletionTime(status.getCompletionTime())
              .setSnapshot(status.getSnapshot()));
    }
    return view;
  }
}
