package dev.agentoperator.runner.service;

import java.util.Map;

/**
 * The one run that holds this runner's workspace (one workspace, one writer), and the lock under
 * which runs are started, answered and stopped: a reply cannot slip between a resumed loop's
 * creation and its start, and a run that ends frees the slot under the same lock.
 */
final class ActiveRun {

  private volatile RunHandle current;

  /**
   * Refuses with a 409 when another run holds the workspace. A run whose final event is recorded
   * is done with the workspace (its last snapshot and checkpoint come before that event), even
   * while its thread is still winding down: a client that saw the end may start the next run at
   * once instead of getting a spurious 409.
   */
  synchronized void requireFreeFor(String uid) {
    RunHandle holder = current;
    boolean holdsWorkspace =
        holder != null && holder.running() && !holder.projection().phase().isFinal();
    if (holdsWorkspace && !holder.uid().equals(uid)) {
      throw new ApiException(
          409,
          "run " + holder.uid() + " is active; one run at a time: retry when it has finished",
          Map.of("activeRun", holder.uid()));
    }
  }

  /** {@code handle} runs now. */
  synchronized void take(RunHandle handle) {
    current = handle;
  }

  /** {@code handle}'s loop has returned: it stops running and frees the slot if it held it. */
  synchronized void release(RunHandle handle) {
    handle.stopped();
    if (current == handle) {
      current = null;
    }
  }

  /** The run executing now, or null. */
  RunHandle running() {
    RunHandle holder = current;
    return holder != null && holder.running() ? holder : null;
  }

  /** The uid of the run executing now, or null. */
  String uid() {
    RunHandle holder = running();
    return holder == null ? null : holder.uid();
  }
}
