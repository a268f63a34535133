package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.status.ConditionStatus;
import dev.agentoperator.operator.status.Conditions;

/** Sets a run's Accepted, Running and Succeeded conditions from its phase and outcome. */
public final class RunConditions {

  public static final String ACCEPTED = "Accepted";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";

  private final Conditions conditions;

  public RunConditions(Conditions conditions) {
    this.conditions = conditions;
  }

  /** Marks the run rejected, with the message that says what to fix. */
  public void rejected(AgentRunStatus status, String message, Long generation) {
    status.setConditions(
        conditions.set(
            status.getConditions(),
            ACCEPTED,
            ConditionStatus.False,
            "Invalid",
            message,
            generation));
    status.setConditions(
        conditions.set(
            status.getConditions(),
            RUNNING,
            ConditionStatus.False,
            "NotAccepted",
            "the run was not accepted",
            generation));
    status.setConditions(
        conditions.set(
            status.getConditions(),
            SUCCEEDED,
            ConditionStatus.Unknown,
            "NotAccepted",
            "the run was not accepted",
            generation));
  }

  /** Sets all three conditions for {@code phase}; {@code reason} is the runner's end reason. */
  public void forPhase(AgentRunStatus status, AgentRunPhase phase, String reason, Long generation) {
    String message = status.getMessage();
    status.setConditions(
        conditions.set(
            status.getConditions(),
            ACCEPTED,
            ConditionStatus.True,
            "Accepted",
            "the run passed validation",
            generation));
    boolean running = phase == AgentRunPhase.Running || phase == AgentRunPhase.AwaitingApproval;
    status.setConditions(
        conditions.set(
            status.getConditions(),
            RUNNING,
            running ? ConditionStatus.True : ConditionStatus.False,
            phase.name(),
            message,
            generation));
    ConditionStatus succeeded =
        !phase.isTerminal()
            ? ConditionStatus.Unknown
            : phase == AgentRunPhase.Succeeded ? ConditionStatus.True : ConditionStatus.False;
    String succeededReason =
        phase.isTerminal() ? (reason == null ? phase.name() : reason) : "NotFinished";
    status.setConditions(
        conditions.set(
            status.getConditions(), SUCCEEDED, succeeded, succeededReason, message, generation));
  }
}
