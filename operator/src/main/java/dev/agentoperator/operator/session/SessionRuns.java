package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.SnapshotStatus;
import dev.agentoperator.operator.run.RunQueue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a session's runs mean for its pod: the run executing now, how many wait, when a run last
 * started or ended, and the latest workspace snapshot.
 *
 * @param activeRun the run in phase Running or AwaitingApproval, if any
 * @param queuedRuns runs waiting for the session (Queued, or not yet accepted nor rejected)
 * @param inLine the runs the run side has put in line (phase Queued): what status reports, so that
 *     a run created in an idle session does not cost a session status write before its dispatch
 * @param lastActivity the latest start or completion time of any of the runs
 * @param latestSnapshot the snapshot with the highest count reported by any of the runs
 */
public record SessionRuns(
    Optional<String> activeRun,
    int queuedRuns,
    int inLine,
    Optional<Instant> lastActivity,
    Optional<SnapshotStatus> latestSnapshot) {

  /** Runs of the session: none active, none queued. */
  public static final SessionRuns NONE =
      new SessionRuns(Optional.empty(), 0, 0, Optional.empty(), Optional.empty());

  /** Runs of which all waiting ones are in line. */
  public SessionRuns(
      Optional<String> activeRun,
      int queuedRuns,
      Optional<Instant> lastActivity,
      Optional<SnapshotStatus> latestSnapshot) {
    this(activeRun, queuedRuns, queuedRuns, lastActivity, latestSnapshot);
  }

  /** The session a run belongs to; the run side's rule ({@link RunQueue#sessionOf}). */
  public static String sessionOf(AgentRun run) {
    return RunQueue.sessionOf(run);
  }

  /** Summarises those of {@code runs} that belong to the session called {@code session}. */
  public static SessionRuns of(String session, Collection<AgentRun> runs) {
    var mine =
        runs.stream()
            .filter(r -> session.equals(sessionOf(r)))
            .sorted(
                Comparator.comparing(
                    r -> r.getMetadata().getCreationTimestamp(),
                    Comparator.nullsLast(Comparator.naturalOrder())))
            .toList();
    Optional<String> active =
        mine.stream().filter(RunQueue::holdsSession).map(r -> r.getMetadata().getName()).findFirst();
    int queued = (int) mine.stream().filter(RunQueue::waits).count();
    int inLine =
        (int)
            mine.stream()
                .filter(RunQueue::waits)
                .filter(r -> r.getStatus() != null)
                .filter(r -> r.getStatus().getPhase() == AgentRunPhase.Queued)
                .count();
    Optional<Instant> lastActivity =
        mine.stream()
            .map(AgentRun::getStatus)
            .filter(Objects::nonNull)
            .flatMap(s -> Stream.of(s.getStartTime(), s.getCompletionTime()))
            .map(SessionRuns::parse)
            .flatMap(Optional::stream)
            .max(Comparator.naturalOrder());
    Optional<SnapshotStatus> snapshot =
        mine.stream()
            .map(AgentRun::getStatus)
            .filter(Objects::nonNull)
            .map(AgentRunStatus::getSnapshot)
            .filter(s -> s != null && s.commit() != null)
            .max(Comparator.comparing(s -> s.count() == null ? 0 : s.count()));
    return new SessionRuns(active, queued, inLine, lastActivity, snapshot);
  }

  /** True when a run executes or waits: the pod must exist. */
  public boolean busy() {
    return activeRun.isPresent() || queuedRuns > 0;
  }

  private static Optional<Instant> parse(String timestamp) {
    if (timestamp == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
