package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.status.Conditions;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The per-session queue, derived from the runs themselves: a run holds its session while Running or
 * AwaitingApproval (the convention the session reconciler reads too), the others wait in creation
 * order. Runs rejected by validation, finished or being deleted do not wait.
 */
public final class RunQueue {

  /** Creation order, then name to break ties within one second. */
  static final Comparator<AgentRun> ORDER =
      Comparator.comparing(
              (AgentRun r) -> r.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(r -> r.getMetadata().getName());

  private RunQueue() {}

  /** The session a run executes in: its sessionRef, or the ephemeral session of its template. */
  public static String sessionOf(AgentRun run) {
    var spec = run.getSpec();
    if (spec != null && spec.sessionRef() != null) {
      return spec.sessionRef().name();
    }
    return EphemeralSession.nameFor(run);
  }

  /** True while the run occupies its session's runner. */
  public static boolean holdsSession(AgentRun run) {
    AgentRunPhase phase = run.getStatus() == null ? null : run.getStatus().getPhase();
    return phase != null && phase.isActive();
  }

  /** True when the run waits for its turn. */
  public static boolean waits(AgentRun run) {
    if (run.getMetadata().getDeletionTimestamp() != null || holdsSession(run)) {
      return false;
    }
    var status = run.getStatus();
    if (status == null) {
      return true;
    }
    if (status.getPhase() != null && status.getPhase().isTerminal()) {
      return false;
    }
    return Conditions.find(status.getConditions(), RunConditions.ACCEPTED)
        .map(c -> !"False".equals(c.getStatus()))
        .orElse(true);
  }

  /** The run holding {@code session} among {@code runs}, other than {@code self}. */
  public static Optional<AgentRun> holderOtherThan(
      Collection<AgentRun> runs, String session, AgentRun self) {
    return runs.stream()
        .filter(r -> session.equals(sessionOf(r)))
        .filter(RunQueue::holdsSession)
        .filter(r -> !r.getMetadata().getName().equals(self.getMetadata().getName()))
        .findFirst();
  }

  /** The waiting runs of {@code session}, first in line first. */
  public static List<AgentRun> waiting(Collection<AgentRun> runs, String session) {
    return runs.stream()
        .filter(r -> session.equals(sessionOf(r)))
        .filter(RunQueue::waits)
        .sorted(ORDER)
        .toList();
  }

  /** 1-based position of {@code run} among the waiting runs of its session (1 when alone). */
  public static int positionOf(Collection<AgentRun> runs, AgentRun run) {
    List<AgentRun> line = waiting(runs, sessionOf(run));
    for (int i = 0; i < line.size(); i++) {
      if (line.get(i).getMetadata().getName().equals(run.getMetadata().getName())) {
        return i + 1;
      }
    }
    int ahead = (int) line.stream().filter(r -> ORDER.compare(r, run) < 0).count();
    return ahead + 1;
  }
}
