package dev.agentoperator.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The {@code Reconciling} and {@code Stalled} conditions that Flux's kstatus (and tools built on
 * it) read beside {@code Ready} and {@code observedGeneration}: Reconciling is True while the
 * object is still making progress, Stalled is True when it ended in a state that needs a person.
 */
public final class GitOpsConditions {

  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private GitOpsConditions() {}

  /** Where an object stands for a GitOps tool. */
  public enum Progress {
    IN_PROGRESS,
    DONE,
    STALLED
  }

  /** Sets Reconciling and Stalled for {@code progress}, with the object's reason and message. */
  public static List<Condition> set(
      Conditions conditions,
      List<Condition> list,
      Progress progress,
      String reason,
      String message,
      Long generation) {
    List<Condition> updated =
        conditions.set(
            list,
            RECONCILING,
            progress == Progress.IN_PROGRESS ? ConditionStatus.True : ConditionStatus.False,
            reason,
            message,
            generation);
    return conditions.set(
        updated,
        STALLED,
        progress == Progress.STALLED ? ConditionStatus.True : ConditionStatus.False,
        reason,
        message,
        generation);
  }
}
