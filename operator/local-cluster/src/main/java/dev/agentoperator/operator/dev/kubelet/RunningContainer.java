package dev.agentoperator.operator.dev.kubelet;

import java.time.Duration;

/**
 * A started container as the local pod supervises it: a process whose exit is the container's
 * exit, and a way to stop everything the container runs.
 */
interface RunningContainer {

  /** The process to wait on: its exit code is the container's. */
  Process process();

  /** Remembers what the container has started, so that it can be stopped later. */
  void observe();

  /** SIGTERM to the container, SIGKILL to whatever is left after {@code grace}. */
  void kill(Duration grace);

  /** Stops what the container left behind when its main process exited on its own. */
  void killOrphans();
}
