package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import java.util.List;

/**
 * The session's decide step's answer.
 *
 * @param status the next status (a new object; the observed one is never edited)
 * @param actions what the act step performs, in order
 * @param plan the pod plan the status reports (its reason, phase and requeue)
 */
record SessionDecision(AgentSessionStatus status, List<SessionAction> actions, PodPlan plan) {

  SessionDecision {
    actions = List.copyOf(actions);
  }
}
