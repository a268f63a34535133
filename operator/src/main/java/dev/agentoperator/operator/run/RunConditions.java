package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.status.ConditionStatus;
import dev.agentoperator.operator.status.Conditions;
import dev.agentoperator.operator.status.GitOpsConditions;
import dev.agentoperator.operator.status.GitOpsConditions.Progress;

/**
 * Sets a run's Accepted, Running and Succeeded conditions from its phase and outcome, and the
 * Ready, Reconciling and Stalled conditions that GitOps tools (Flux's kstatus) read.
 */
public final class RunConditions {

  public static final String ACCEPTED = "Accepted";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String READY = "Ready";

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
    gitOps(status, Progress.STALLED, "NotAccepted", message, generation);
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
    boolean running = phase.isActive();
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
    Progress progress =
        !phase.isTerminal()
            ? Progress.IN_PROGRESS
            : phase == AgentRunPhase.Succeeded ? Progress.DONE : Progress.STALLED;
    gitOps(status, progress, phase.isTerminal() ? succeededReason : phase.name(), message, generation);
  }

  /** Ready is True only for a succeeded run; Reconciling while it runs; Stalled once it failed. */
  private void gitOps(
      AgentRunStatus status, Progress progress, String reason, String message, Long generation) {
    status.setConditions(
        conditions.set(
            status.getConditions(),
            READY,
            progress == Progress.DONE ? ConditionStatus.True : ConditionStatus.False,
            reason,
            message,
            generation));
    status.setConditions(
        GitOpsConditions.set(
            conditions, status.getConditions(), progress, reason, message, generation));
  }
}
