package dev.agentoperator.operator.dev.kubelet;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A container's process and everything it started. Descendants are remembered as they are seen,
 * because a child whose parent died is re-parented and can no longer be found from the parent;
 * a kubelet kills the whole cgroup, so the local runtime kills all of them.
 */
final class ProcessTree implements RunningContainer {

  private final Process process;
  private final Set<ProcessHandle> seen = new HashSet<>();

  ProcessTree(Process process) {
    this.process = process;
  }

  @Override
  public Process process() {
    return process;
  }

  /** Records the current descendants, so they can be killed even after the root exits. */
  @Override
  public synchronized void observe() {
    process.descendants().forEach(seen::add);
  }

  /** SIGTERM to the whole tree, SIGKILL to whatever is left after {@code grace}. */
  @Override
  public void kill(Duration grace) {
    Set<ProcessHandle> tree = members();
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          handle.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (Exception e) {
          // still alive after the grace period: killed below
        }
      }
    }
    members().forEach(ProcessHandle::destroyForcibly);
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  /** Kills the processes the root left behind when it exited on its own. */
  @Override
  public void killOrphans() {
    Set<ProcessHandle> orphans;
    synchronized (this) {
      orphans = new HashSet<>(seen);
    }
    orphans.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private synchronized Set<ProcessHandle> members() {
    observe();
    Set<ProcessHandle> all = new HashSet<>(seen);
    all.add(process.toHandle());
    all.removeIf(h -> !h.isAlive());
    return all;
  }
}
