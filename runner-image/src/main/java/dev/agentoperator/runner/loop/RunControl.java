package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Decides when a run must stop and makes it stop: cancellation and suspension requested from any
 * thread, the timeout (a watchdog), and the step, token and tool-call limits. Stopping interrupts
 * the run's thread, which ends an in-flight model call, tool call or wait for a person; the loop
 * then asks {@link #stopReason()} how the run ends.
 */
final class RunControl {

  private final String runUid;
  private final RunLimits limits;
  private final Clock clock;
  private final Object lock = new Object();

  // Guarded by lock.
  private Thread runThread;
  private boolean finishing;
  private boolean cancelRequested;
  private boolean suspendRequested;
  private boolean timedOut;

  RunControl(String runUid, RunLimits limits, Clock clock) {
    this.runUid = runUid;
    this.limits = limits;
    this.clock = clock;
  }

  /** While the loop drives the run on the calling thread; closing detaches it. */
  interface Attachment extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Binds the run to the calling thread and starts the timeout, counted from {@code startedAt} (a
   * resumed run keeps its original start). A stop requested before this interrupts at once.
   */
  Attachment attach(Instant startedAt) {
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("run-timeout-" + runUid).unstarted(r));
    synchronized (lock) {
      runThread = Thread.currentThread();
      finishing = false;
      if (cancelRequested || suspendRequested) {
        runThread.interrupt();
      }
    }
    Duration timeout = limits.timeout();
    if (timeout != null) {
      Duration left = timeout.minus(Duration.between(startedAt, clock.instant()));
      watchdog.schedule(this::timeOut, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
    }
    return () -> {
      watchdog.shutdownNow();
      synchronized (lock) {
        runThread = null;
      }
      Thread.interrupted();
    };
  }

  /** Ends the run Cancelled; safe from any thread, before or during the run. */
  void cancel() {
    synchronized (lock) {
      cancelRequested = true;
      interruptRun();
    }
  }

  /** Stops the run without ending it (the runner shuts down); the checkpoint stays resumable. */
  void suspend() {
    synchronized (lock) {
      suspendRequested = true;
      interruptRun();
    }
  }

  /** The watchdog's action; package-private so the precedence can be tested without waiting. */
  void timeOut() {
    synchronized (lock) {
      timedOut = true;
      interruptRun();
    }
  }

  /**
   * The run is writing its end: no later request may interrupt that (a half-written checkpoint
   * or a lost final event), and an interrupt already delivered is cleared.
   */
  void finishing() {
    synchronized (lock) {
      finishing = true;
    }
    Thread.interrupted();
  }

  boolean stopRequested() {
    synchronized (lock) {
      return cancelRequested || timedOut || suspendRequested;
    }
  }

  /**
   * How an interrupted run ends. A person's cancel wins over the timeout (both end it, the
   * cancel is what was asked for), and both win over a suspension (a shutdown must not turn an
   * ended run back into a resumable one). An interrupt nobody requested here counts as a cancel.
   */
  StopReason stopReason() {
    synchronized (lock) {
      if (cancelRequested) {
        return StopReason.cancelled();
      }
      if (timedOut) {
        return StopReason.timedOut(limits.timeout());
      }
      return suspendRequested ? StopReason.suspended() : StopReason.cancelled();
    }
  }

  /** Throws when a stop was requested or the thread was interrupted. */
  void checkStop() throws InterruptedException {
    if (stopRequested() || Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("stop requested");
    }
  }

  /** Before each model call: a stop, then the step limit, then the token limit. */
  void checkBeforeModelCall(int steps, Usage usage) throws LimitExceeded, InterruptedException {
    checkStop();
    if (limits.maxSteps() != null && steps >= limits.maxSteps()) {
      throw new LimitExceeded(
          "MaxStepsExceeded",
          "the run reached its limit of " + limits.maxSteps() + " steps without a final answer");
    }
    if (limits.maxTokens() != null && usage.totalTokens() >= limits.maxTokens()) {
      throw new LimitExceeded(
          "MaxTokensExceeded",
          "the run used " + usage.totalTokens() + " tokens, its limit is " + limits.maxTokens());
    }
  }

  /** Before each tool call: a stop, then the tool-call limit ({@code toolCalls} made so far). */
  void checkBeforeToolCall(int toolCalls) throws LimitExceeded, InterruptedException {
    checkStop();
    Integer max = limits.maxToolCalls();
    if (max != null && toolCalls >= max) {
      throw new LimitExceeded(
          "MaxToolCallsExceeded", "the run reached its limit of " + max + " tool calls");
    }
  }

  private void interruptRun() {
    if (runThread != null && !finishing) {
      runThread.interrupt();
    }
  }
}
