package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunList;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.runner.events.EventListener;
import dev.agentoperator.runner.loop.LoopConfig;
import dev.agentoperator.runner.workspace.Snapshotter;
import java.time.Duration;
import java.util.List;

/**
 * The runs of this runner, as the runner API ({@code spec/runner-api.yaml}) operates on them: at
 * most one active run ({@link ActiveRun}), started or resumed by {@link RunStarter}, answered
 * through {@link RunReplies}, stopped by {@link RunStops}, reported by {@link RunSummaries}, over
 * every run in the state directory ({@link RunDirectory}), including runs of an earlier process.
 */
public final class RunManager implements AutoCloseable {

  /** The outcome of a start: whether something started (201) or the run already existed (200). */
  public record StartResult(boolean started, RunSummary summary) {}

  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final ActiveRun active = new ActiveRun();
  private final RunStarter starter;
  private final RunReplies replies;
  private final RunStops stops;
  private final RunSummaries summaries;

  /**
   * @param baseConfig the loop settings every run shares; its snapshot hook is replaced by one over
   *     {@code snapshotter}
   * @param modelPerRun the model client of each new loop
   * @param listeners told about every event of runs started here (console transcript, metrics)
   * @param mcp the session's MCP servers, offered to each run that selects them
   */
  public RunManager(
      LoopConfig baseConfig,
      ModelPerRun modelPerRun,
      Snapshotter snapshotter,
      List<EventListener> listeners,
      SessionMcpServers mcp) {
    RunDirectory runs = new RunDirectory(baseConfig.stateDir(), listeners);
    LoopFreeOutcome outcomes = new LoopFreeOutcome(baseConfig.stateDir(), baseConfig.clock());
    LoopConfig config =
        baseConfig.withSnapshots(
            new WorkspaceSnapshotHook(snapshotter, uid -> runs.open(uid).notes()));
    this.summaries = new RunSummaries(runs, active);
    this.starter = new RunStarter(config, modelPerRun, snapshotter, mcp, runs, active, outcomes);
    this.replies = new RunReplies(runs, active, summaries);
    this.stops = new RunStops(runs, active, outcomes);
  }

  /** Starts, resumes or re-reports run {@code uid}; see {@code PUT /v1/runs/{uid}}. */
  public StartResult start(String uid, RunRequest request) {
    RunStarter.Start start = starter.start(uid, request);
    return new StartResult(start.started(), summaries.of(start.handle()));
  }

  public RunSummary summary(String uid) {
    return summaries.of(uid);
  }

  /** See {@link RunSummaries#events}. */
  public EventList events(String uid, long after, Duration wait, int limit)
      throws InterruptedException {
    return summaries.events(uid, after, wait, limit);
  }

  /** Requests cancellation; a finished run is left as it is. */
  public RunSummary cancel(String uid) {
    return summaries.of(stops.cancel(uid));
  }

  /** Answers a pending approval; see {@code POST /v1/runs/{uid}/approvals}. */
  public RunSummary answer(String uid, ApprovalDecision request) throws InterruptedException {
    return replies.approval(uid, request);
  }

  /** Answers a pending question; see {@code POST /v1/runs/{uid}/answers}. */
  public RunSummary answerQuestion(String uid, QuestionAnswer request)
      throws InterruptedException {
    return replies.answer(uid, request);
  }

  /** The active run and the latest runs in the state directory. */
  public RunList list() {
    return summaries.list();
  }

  /** The uid of the run that is executing now, if any. */
  public String activeRun() {
    return active.uid();
  }

  /**
   * Suspends the active run for a runner that shuts down: it stops without a final event and with a
   * resumable checkpoint, so the next runner resumes it. Waits up to {@code timeout} for it.
   */
  public void suspend(Duration timeout) throws InterruptedException {
    stops.suspend(timeout);
  }

  /** Suspends the active run (see {@link #suspend}), waiting up to 10 seconds. */
  @Override
  public void close() {
    try {
      suspend(SHUTDOWN_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
