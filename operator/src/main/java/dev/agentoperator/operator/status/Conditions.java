package dev.agentoperator.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets conditions following the Kubernetes API conventions: {@code lastTransitionTime} moves only
 * when a condition's status flips, so watchers can tell how long a state has held.
 */
public final class Conditions {

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Returns a copy of {@code current} with the condition of {@code type} set. The input list is not
   * modified; other conditions keep their order and the new type is appended at the end.
   */
  public List<Condition> set(
      List<Condition> current,
      String type,
      ConditionStatus status,
      String reason,
      String message,
      Long observedGeneration) {
    List<Condition> existingConditions = current == null ? List.of() : current;
    List<Condition> result = new ArrayList<>(existingConditions.size() + 1);
    boolean replaced = false;
    for (Condition existing : existingConditions) {
      if (type.equals(existing.getType())) {
        result.add(build(existing, type, status, reason, message, observedGeneration));
        replaced = true;
      } else {
        result.add(existing);
      }
    }
    if (!replaced) {
      result.add(build(null, type, status, reason, message, observedGeneration));
    }
    return result;
  }

  /** The condition of {@code type}, if present. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** True when the condition of {@code type} is present with status {@code True}. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private Condition build(
      Condition previous,
      String type,
      ConditionStatus status,
      String reason,
      String message,
      Long observedGeneration) {
    String statusValue = status.name();
    String transitionTime =
        previous != null
                && statusValue.equals(previous.getStatus())
                && previous.getLastTransitionTime() != null
            ? previous.getLastTransitionTime()
            : now();
    return new ConditionBuilder()
        .withType(type)
        .withStatus(statusValue)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(observedGeneration)
        .withLastTransitionTime(transitionTime)
        .build();
  }

  /** Now as an RFC 3339 timestamp with second precision, the form the API server stores. */
  public String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
