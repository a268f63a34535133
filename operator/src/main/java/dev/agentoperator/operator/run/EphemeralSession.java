package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;

/** The AgentSession a run with {@code spec.sessionTemplate} gets for itself, owned by the run. */
public final class EphemeralSession {

  /** Label on an ephemeral session naming the run it belongs to. */
  public static final String RUN_LABEL = "agentoperator.dev/run";

  private EphemeralSession() {}

  /** The ephemeral session's name: the run's name with a suffix that says what it is. */
  public static String nameFor(AgentRun run) {
    return run.getMetadata().getName() + "-session";
  }

  /** True when {@code session} is the ephemeral session of {@code run}. */
  public static boolean belongsTo(AgentSession session, AgentRun run) {
    return session.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> run.getMetadata().getUid().equals(o.getUid()));
  }

  /**
   * The problem of a templated run whose session name is taken by a session that is not its own
   * (none when {@code existing} is null or the run's).
   */
  public static List<String> nameTaken(AgentRun run, AgentSession existing) {
    if (existing == null || belongsTo(existing, run)) {
      return List.of();
    }
    return List.of(
        "an AgentSession named "
            + existing.getMetadata().getName()
            + " already exists and does not belong to this run; rename the run or use"
            + " spec.sessionRef");
  }

  /** The desired ephemeral session: the run's template, labelled and owned by the run. */
  public static AgentSession desired(AgentRun run) {
    AgentSession session = new AgentSession();
    session.setMetadata(
        new ObjectMetaBuilder()
            .withName(nameFor(run))
            .withNamespace(run.getMetadata().getNamespace())
            .withLabels(
                Map.of(
                    "app.kubernetes.io/name",
                    "agent-session",
                    "app.kubernetes.io/instance",
                    nameFor(run),
                    "app.kubernetes.io/managed-by",
                    "agent-operator",
                    "app.kubernetes.io/part-of",
                    "agent-operator",
                    RUN_LABEL,
                    run.getMetadata().getName()))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(run.getApiVersion())
                    .withKind(run.getKind())
                    .withName(run.getMetadata().getName())
                    .withUid(run.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    session.setSpec(run.getSpec().sessionTemplate());
    return session;
  }
}
