package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.RunPhase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping runs: a cancel asked through the API ({@code POST /v1/runs/{uid}/cancel}), and the
 * suspension of the active run when the runner shuts down (no final event, a resumable checkpoint,
 * so the next runner resumes it).
 */
final class RunStops {

  private static final Logger LOG = LoggerFactory.getLogger(RunStops.class);

  private final RunDirectory runs;
  private final ActiveRun active;
  private final LoopFreeOutcome outcomes;

  RunStops(RunDirectory runs, ActiveRun active, LoopFreeOutcome outcomes) {
    this.runs = runs;
    this.active = active;
    this.outcomes = outcomes;
  }

  /** Requests cancellation of run {@code uid}; a finished run is left as it is. */
  RunHandle cancel(String uid) {
    RunDirectory.checkUid(uid);
    RunHandle handle = runs.require(uid);
    synchronized (active) {
      if (handle.running()) {
        handle.loop().cancel();
        LOG.info("run {} cancellation requested", uid);
      } else if (!handle.projection().phase().isFinal()) {
        // Interrupted by a restart and never resumed: nothing runs, so record the end here.
        outcomes.end(
            handle,
            RunPhase.Cancelled,
            "Cancelled",
            "the run was cancelled while it was not running (interrupted before)");
      }
    }
    return handle;
  }

  /** Suspends the active run, if any, and waits up to {@code timeout} for its loop to return. */
  void suspend(Duration timeout) throws InterruptedException {
    RunHandle current = active.running();
    if (current == null) {
      return;
    }
    current.loop().suspend();
    LOG.info("run {} suspended for shutdown", current.uid());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (current.running() && System.nanoTime() < deadline) {
      current.events().awaitAfter(current.events().lastSeq(), Duration.ofMillis(50));
    }
  }
}
