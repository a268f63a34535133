package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunPhase;
import java.time.Duration;

/**
 * Why a run stopped before a final answer: the phase it ends in, the CamelCase status reason and a
 * sentence for people. A suspension keeps the run {@link RunPhase#Running} (resumable); every
 * other stop is final.
 */
record StopReason(RunPhase phase, String reason, String message) {

  static StopReason cancelled() {
    return new StopReason(RunPhase.Cancelled, "Cancelled", "the run was cancelled");
  }

  static StopReason timedOut(Duration timeout) {
    return new StopReason(
        RunPhase.TimedOut, "TimedOut", "the run exceeded its timeout of " + timeout);
  }

  /** The message names the steps taken, which only the loop knows when it stops. */
  static StopReason suspended() {
    return new StopReason(RunPhase.Running, "Suspended", null);
  }

  /** A limit reached or a failure: the run ends Failed with {@code reason}. */
  static StopReason failed(String reason, String message) {
    return new StopReason(RunPhase.Failed, reason, message);
  }

  boolean suspends() {
    return phase == RunPhase.Running;
  }
}
