package dev.agentoperator.operator.dev.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One container of a local pod: its process, if any, and the state a kubelet would report. */
final class ContainerSlot {

  private final Container container;
  private RunningContainer tree;
  private ContainerState state;
  private ContainerState lastState;
  private int restartCount;
  private boolean everStarted;
  private boolean ready;
  private Instant startedAt;
  private Instant nextStart = Instant.EPOCH;
  private Instant nextProbe = Instant.EPOCH;
  private Integer lastExitCode;
  private int failuresInRow;

  ContainerSlot(Container container) {
    this.container = container;
    this.state = waiting("PodInitializing", null);
  }

  Container container() {
    return container;
  }

  synchronized RunningContainer tree() {
    return tree;
  }

  synchronized boolean running() {
    return tree != null;
  }

  synchronized boolean everStarted() {
    return everStarted;
  }

  synchronized Integer lastExitCode() {
    return lastExitCode;
  }

  synchronized boolean ready() {
    return ready;
  }

  synchronized void setReady(boolean ready) {
    this.ready = ready && tree != null;
  }

  /**
   * Records one readiness probe as a kubelet counts them: a ready container becomes unready only
   * after {@code failureThreshold} failures in a row (a slow answer on a loaded machine is not a
   * container going away); an unready one becomes ready on its first success.
   */
  synchronized void probeResult(boolean success) {
    if (success) {
      failuresInRow = 0;
      setReady(true);
      return;
    }
    failuresInRow++;
    Integer threshold = container.getReadinessProbe() == null ? null
        : container.getReadinessProbe().getFailureThreshold();
    if (!ready || failuresInRow >= (threshold == null || threshold < 1 ? 3 : threshold)) {
      setReady(false);
    }
  }

  synchronized boolean dueToProbe(Instant now) {
    return !now.isBefore(nextProbe);
  }

  synchronized void probed(Instant now, Duration next) {
    nextProbe = now.plus(next);
  }

  synchronized boolean dueToStart(Instant now) {
    return tree == null && !now.isBefore(nextStart);
  }

  synchronized void cannotStart(String reason, String message) {
    state = waiting(reason, message);
  }

  synchronized void started(RunningContainer tree, Instant now) {
    if (everStarted) {
      restartCount++;
    }
    this.tree = tree;
    this.everStarted = true;
    this.startedAt = now;
    this.ready = false;
    this.failuresInRow = 0;
    this.nextProbe = Instant.EPOCH;
    state = new ContainerStateBuilder().withNewRunning().withStartedAt(time(now)).endRunning()
        .build();
  }

  /**
   * Records the exit; {@code restartIn} null means it stays terminated. {@code message}: the
   * container's termination message ({@link TerminationMessages}), or null.
   */
  synchronized void exited(int exitCode, String message, Instant now, Duration restartIn) {
    ContainerState terminated = new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withMessage(message)
        .withStartedAt(time(startedAt))
        .withFinishedAt(time(now))
        .endTerminated()
        .build();
    tree = null;
    ready = false;
    lastExitCode = exitCode;
    if (restartIn == null) {
      state = terminated;
    } else {
      lastState = terminated;
      nextStart = now.plus(restartIn);
      state = waiting("CrashLoopBackOff", "back-off " + restartIn.toMillis() + "ms restarting"
          + " failed container=" + container.getName());
    }
  }

  synchronized int restartCount() {
    return restartCount;
  }

  synchronized ContainerStatus status(boolean init) {
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("")
        .withContainerID(tree == null ? null : "local://" + tree.process().pid())
        .withReady(init ? lastExitCode != null && lastExitCode == 0 : ready)
        .withStarted(init ? null : tree != null)
        .withRestartCount(restartCount)
        .withState(state)
        .withLastState(lastState == null ? new ContainerState() : lastState)
        .build();
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message)
        .endWaiting().build();
  }

  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
