package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunList;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.runner.events.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the runner API reports about runs: a run's summary (telling a client when a run is not
 * running in this process), its events (long-polled), and the list of runs.
 */
final class RunSummaries {

  static final String NOT_RUNNING_MESSAGE =
      "the run is not running in this runner (it was interrupted, e.g. by a restart); PUT it again"
          + " with resume: true to continue from its checkpoint";

  private final RunDirectory runs;
  private final ActiveRun active;

  RunSummaries(RunDirectory runs, ActiveRun active) {
    this.runs = runs;
    this.active = active;
  }

  RunSummary of(String uid) {
    RunDirectory.checkUid(uid);
    return of(runs.require(uid));
  }

  /** The summary; a run that is neither final nor running here says how to resume it. */
  RunSummary of(RunHandle handle) {
    RunSummary summary = handle.projection().summary(handle.uid());
    if (!handle.running() && !RunPhase.valueOf(summary.phase()).isFinal()) {
      return new RunSummary(
          summary.uid(),
          summary.phase(),
          summary.reason(),
          NOT_RUNNING_MESSAGE,
          summary.steps(),
          summary.toolCalls(),
          summary.usage(),
          summary.pendingApprovals(),
          summary.snapshot(),
          summary.result(),
          summary.lastSeq(),
          summary.startedAt(),
          summary.finishedAt(),
          true,
          summary.lastPush(),
          summary.pullRequest(),
          summary.pendingQuestions());
    }
    return summary;
  }

  /**
   * Events with a seq above {@code after}, waiting up to {@code wait} for the first one unless the
   * run has ended (then nothing more can come).
   */
  EventList events(String uid, long after, Duration wait, int limit) throws InterruptedException {
    RunDirectory.checkUid(uid);
    RunHandle handle = runs.require(uid);
    EventLog log = handle.events();
    if (!wait.isZero() && log.lastSeq() <= after && !handle.projection().phase().isFinal()) {
      log.awaitAfter(after, wait);
    }
    List<RunEvent> events = handle.wireEvents(after, limit).stream().map(EventWire::toWire).toList();
    RunProjection projection = handle.projection();
    return new EventList(events, projection.lastSeq(), projection.phase().name());
  }

  /** The active run and the latest runs in the state directory. */
  RunList list() {
    String activeUid = active.uid();
    List<RunList.Entry> entries = new ArrayList<>();
    for (String uid : runs.latest(RunnerApiLimits.RUN_LIST_MAX)) {
      RunHandle handle = runs.find(uid);
      if (handle != null) {
        entries.add(new RunList.Entry(uid, of(handle).phase()));
      }
    }
    return new RunList(activeUid, entries);
  }
}
