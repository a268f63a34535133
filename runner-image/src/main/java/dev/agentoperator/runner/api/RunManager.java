package dev.agentoperator.runner.api;

import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunList;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.runner.events.EventListener;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.loop.AgentLoop;
import dev.agentoperator.runner.loop.LoopConfig;
import dev.agentoperator.runner.loop.RunFiles;
import dev.agentoperator.runner.workspace.SnapshotException;
import dev.agentoperator.runner.workspace.SnapshotNotFoundException;
import dev.agentoperator.runner.workspace.Snapshotter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the runs of this runner: at most one active run (one workspace, one writer), started on a
 * virtual thread; idempotent starts by uid; resume from a checkpoint; cancel; approvals; summaries
 * and events of every run in the state directory, including runs of an earlier process.
 */
public final class RunManager implements AutoCloseable {

  /** The outcome of a start: whether something started (201) or the run already existed (200). */
  public record StartResult(boolean started, RunSummary summary) {}

  private static final Duration APPROVAL_ECHO_WAIT = Duration.ofSeconds(2);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(RunManager.class);
  static final String NOT_RUNNING_MESSAGE =
      "the run is not running in this runner (it was interrupted, e.g. by a restart); PUT it again"
          + " with resume: true to continue from its checkpoint";

  private final LoopConfig baseConfig;
  private final ModelPerRun modelPerRun;
  private final Snapshotter snapshotter;
  private final RunDirectory runs;
  private final LoopFreeOutcome outcomes;
  private final SessionMcpServers mcp;
  private volatile RunHandle active;

  /**
   * @param baseConfig the loop settings every run shares; its snapshot hook is replaced by one over
   *     {@code snapshotter}
   * @param modelPerRun the model client of each new loop
   * @param listeners told about every event of runs started here (console transcript, metrics)
   */
  public RunManager(
      LoopConfig baseConfig,
      ModelPerRun modelPerRun,
      Snapshotter snapshotter,
      List<EventListener> listeners) {
    this(baseConfig, modelPerRun, snapshotter, listeners, SessionMcpServers.none());
  }

  /** As above, with the session's MCP servers offered to each run (see {@link McpRunToolBox}). */
  RunManager(
      LoopConfig baseConfig,
      ModelPerRun modelPerRun,
      Snapshotter snapshotter,
      List<EventListener> listeners,
      SessionMcpServers mcp) {
    this.mcp = mcp;
    this.modelPerRun = modelPerRun;
    this.snapshotter = snapshotter;
    this.runs = new RunDirectory(baseConfig.stateDir(), listeners);
    this.outcomes = new LoopFreeOutcome(baseConfig.stateDir(), baseConfig.clock());
    this.baseConfig =
        baseConfig.withSnapshots(
            new WorkspaceSnapshotHook(snapshotter, uid -> runs.open(uid).notes()));
  }

  /** Starts, resumes or re-reports run {@code uid}; see {@code PUT /v1/runs/{uid}}. */
  public synchronized StartResult start(String uid, RunRequest request) {
    RunDirectory.checkUid(uid);
    RunHandle existing = runs.find(uid);
    if (existing != null && !canResume(existing, request)) {
      return new StartResult(false, summary(existing));
    }
    RunHandle current = active;
    // A run whose final event is recorded is done with the workspace (its last snapshot and
    // checkpoint come before that event), even while its thread is still winding down: a client
    // that saw the end may start the next run at once instead of getting a spurious 409.
    boolean holdsWorkspace =
        current != null && current.running() && !current.projection().phase().isFinal();
    if (holdsWorkspace && !current.uid().equals(uid)) {
      throw new ApiException(
          409,
          "run " + current.uid() + " is active; one run at a time: retry when it has finished",
          Map.of("activeRun", current.uid()));
    }
    // A checkpoint without events: the process died between the first checkpoint and run.started.
    boolean resume =
        existing != null
            || Files.exists(
                RunFiles.runDir(baseConfig.stateDir(), uid).resolve(RunFiles.CHECKPOINT));
    mcp.selected(request.mcpServers()); // a 400 before anything is created
    RunHandle handle = existing != null ? existing : runs.open(uid);
    RunPlan plan = RunPlan.of(uid, request, baseConfig);
    Optional<McpRunToolBox> mcpTools = mcp.forRun(request.mcpServers(), handle.events());
    LoopConfig config = mcpTools.map(plan.config()::withTools).orElse(plan.config());
    AgentLoop loop =
        new AgentLoop(
            config
                .withModel(
                    modelPerRun
                        .forRun(turnsPlayed(handle.events().all()))
                        .forRun(uid, plan.spec().limits().maxTokens())),
            plan.spec(),
            handle.events());
    // Answers given while the run was not running (after a restart) wait in the gate for the
    // question the resumed loop asks again.
    handle
        .answers()
        .values()
        .forEach(
            answer ->
                loop.approvals()
                    .resolve(answer.id(), answer.decision(), answer.reason(), answer.by()));
    handle
        .questionAnswers()
        .values()
        .forEach(answer -> loop.questions().resolve(answer.id(), answer.answer(), answer.by()));
    handle.started(loop);
    active = handle;
    String restore = resume ? null : request.restoreSnapshot();
    Thread.ofVirtual()
        .name("run-" + uid)
        .start(
            () -> {
              try {
                execute(handle, loop, restore, resume);
              } finally {
                mcpTools.ifPresent(McpRunToolBox::close);
              }
            });
    LOG.info(
        "run {} {}{}",
        uid,
        resume ? "resumed" : "started",
        request.runName() == null ? "" : " (" + Abbreviate.line(request.runName(), 253) + ")");
    return new StartResult(true, summary(handle));
  }

  public RunSummary summary(String uid) {
    RunDirectory.checkUid(uid);
    return summary(runs.require(uid));
  }

  /**
   * Events with a seq above {@code after}, waiting up to {@code wait} for the first one unless the
   * run has ended (then nothing more can come).
   */
  public EventList events(String uid, long after, Duration wait, int limit)
      throws InterruptedException {
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

  /** Requests cancellation; a finished run is left as it is. */
  public RunSummary cancel(String uid) {
    RunDirectory.checkUid(uid);
    RunHandle handle = runs.require(uid);
    synchronized (this) {
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
    return summary(handle);
  }

  /** Answers a pending approval; see {@code POST /v1/runs/{uid}/approvals}. */
  public RunSummary answer(String uid, ApprovalDecision request) throws InterruptedException {
    String id = request.id();
    return reply(
        uid,
        id,
        EventType.APPROVAL_RESOLVED,
        (handle, projection) -> {
          if (!projection.askedFor(id)) {
            throw neverAsked(
                uid,
                "for approval",
                id,
                "approvals",
                projection.summary(uid).pendingApprovals().stream()
                    .map(RunSummary.PendingApproval::id)
                    .toList());
          }
          ApprovalDecision given = handle.answers().get(id);
          String previous = given != null ? given.decision() : projection.decisionFor(id);
          if (previous != null) {
            if (previous.equals(request.decision())) {
              return Optional.empty();
            }
            throw ApiException.conflict(
                "approval '" + id + "' was already answered with '" + previous
                    + "'; it cannot change");
          }
          requireNotEnded(projection, uid, "approval '" + id + "'");
          handle.answers().put(id, request);
          LOG.info("run {} approval {} answered: {}", uid, id, request.decision());
          return Optional.of(
              handle.running()
                  && handle
                      .loop()
                      .approvals()
                      .resolve(id, request.decision(), request.reason(), request.by()));
        });
  }

  /**
   * Answers a pending question; see {@code POST /v1/runs/{uid}/answers}. Idempotent for the same
   * text; a different answer to an answered question is a conflict.
   */
  public RunSummary answerQuestion(String uid, QuestionAnswer request) throws InterruptedException {
    String id = request.id();
    return reply(
        uid,
        id,
        EventType.QUESTION_ANSWERED,
        (handle, projection) -> {
          if (!projection.askedQuestion(id)) {
            throw neverAsked(
                uid,
                "question",
                id,
                "questions",
                projection.summary(uid).pendingQuestions().stream()
                    .map(RunSummary.PendingQuestion::id)
                    .toList());
          }
          QuestionAnswer given = handle.questionAnswers().get(id);
          if (given != null || projection.questionAnswered(id)) {
            if (given != null && given.answer().equals(request.answer())) {
              return Optional.empty();
            }
            throw ApiException.conflict(
                "question '" + id + "' was already answered; it cannot change");
          }
          requireNotEnded(projection, uid, "question '" + id + "'");
          handle.questionAnswers().put(id, request);
          LOG.info("run {} question {} answered", uid, id);
          return Optional.of(
              handle.running()
                  && handle.loop().questions().resolve(id, request.answer(), request.by()));
        });
  }

  /**
   * What a person's reply (an approval or an answer) does under the manager's lock: empty when it
   * repeats the reply already given, else whether a waiting loop took it.
   */
  @FunctionalInterface
  private interface Reply {
    Optional<Boolean> record(RunHandle handle, RunProjection projection);
  }

  /**
   * Records a person's reply to run {@code uid} and, when the loop was waiting for it, waits for
   * the loop's echo event so the summary answered shows the reply taken.
   */
  private RunSummary reply(String uid, String id, String echoType, Reply reply)
      throws InterruptedException {
    RunDirectory.checkUid(uid);
    RunHandle handle = runs.require(uid);
    long seqBefore;
    Optional<Boolean> waiting;
    // The manager's lock, as start() holds it: a reply cannot slip between a resumed loop's
    // creation and its start.
    synchronized (this) {
      seqBefore = handle.events().lastSeq();
      waiting = reply.record(handle, handle.projection());
    }
    if (waiting.orElse(false)) {
      awaitEcho(handle, echoType, id, seqBefore);
    }
    return summary(handle);
  }

  /** The 409 for an answer that comes after the run ended. */
  private static void requireNotEnded(RunProjection projection, String uid, String what) {
    if (projection.phase().isFinal()) {
      throw ApiException.conflict(
          "run " + uid + " has ended (" + projection.phase() + "); " + what + " is moot");
    }
  }

  /** The 404 for an answer to something the run never asked, naming what is pending. */
  private static ApiException neverAsked(
      String uid, String what, String id, String plural, List<String> pending) {
    return ApiException.notFound(
        "run "
            + uid
            + " never asked "
            + what
            + " '"
            + Abbreviate.line(id, 80)
            + "'"
            + (pending.isEmpty() ? "; it has no pending " + plural : "; pending: " + pending));
  }

  /** The active run and the latest runs in the state directory. */
  public RunList list() {
    RunHandle current = active;
    String activeUid = current != null && current.running() ? current.uid() : null;
    List<RunList.Entry> entries = new ArrayList<>();
    for (String uid : runs.latest(RunnerApiLimits.RUN_LIST_MAX)) {
      RunHandle handle = runs.find(uid);
      if (handle != null) {
        entries.add(new RunList.Entry(uid, summary(handle).phase()));
      }
    }
    return new RunList(activeUid, entries);
  }

  /** The uid of the run that is executing now, if any. */
  public String activeRun() {
    RunHandle current = active;
    return current != null && current.running() ? current.uid() : null;
  }

  /**
   * Suspends the active run for a runner that shuts down: it stops without a final event and with a
   * resumable checkpoint, so the next runner resumes it. Waits up to {@code timeout} for it.
   */
  public void suspend(Duration timeout) throws InterruptedException {
    RunHandle current = active;
    if (current == null || !current.running()) {
      return;
    }
    current.loop().suspend();
    LOG.info("run {} suspended for shutdown", current.uid());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (current.running() && System.nanoTime() < deadline) {
      current.events().awaitAfter(current.events().lastSeq(), Duration.ofMillis(50));
    }
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

  private void execute(RunHandle handle, AgentLoop loop, String restore, boolean resume) {
    try {
      if (restore != null && !restoreWorkspace(handle, restore)) {
        return;
      }
      if (resume) {
        loop.resume();
      } else {
        loop.run();
      }
    } catch (RuntimeException | Error e) {
      LOG.error("run {} failed outside the loop", handle.uid(), e);
      if (!handle.projection().phase().isFinal()) {
        outcomes.end(
            handle, RunPhase.Failed, "RunnerError", "the runner failed: " + e.getMessage());
      }
    } finally {
      synchronized (this) {
        handle.stopped();
        if (active == handle) {
          active = null;
        }
      }
    }
  }

  /** Restores the snapshot before the first step; an unknown commit ends the run as Failed. */
  private boolean restoreWorkspace(RunHandle handle, String commit) {
    try {
      snapshotter.restore(commit);
      LOG.info("run {} restored snapshot {}", handle.uid(), commit);
      return true;
    } catch (SnapshotNotFoundException e) {
      outcomes.started(handle);
      outcomes.end(
          handle,
          RunPhase.Failed,
          "SnapshotNotFound",
          "cannot restore snapshot " + commit + ": " + e.getMessage());
    } catch (SnapshotException e) {
      outcomes.started(handle);
      outcomes.end(
          handle,
          RunPhase.Failed,
          "RunnerError",
          "cannot restore snapshot " + commit + ": " + e.getMessage());
    }
    return false;
  }

  private void awaitEcho(RunHandle handle, String type, String id, long seqBefore)
      throws InterruptedException {
    long deadline = System.nanoTime() + APPROVAL_ECHO_WAIT.toNanos();
    long seen = seqBefore;
    while (System.nanoTime() < deadline) {
      for (RunEvent event : handle.events().after(seen, Integer.MAX_VALUE)) {
        seen = event.seq();
        if (type.equals(event.type())
            && id.equals(event.data().path("id").asText())) {
          return;
        }
      }
      handle.events().awaitAfter(seen, Duration.ofMillis(100));
    }
  }

  /**
   * Model answers the run recorded: each {@code llm.completed} and the summary answers of each
   * compaction ({@code modelCalls}: 0 to 2; one in events written before that field existed).
   */
  static int turnsPlayed(List<RunEvent> events) {
    int turns = 0;
    for (RunEvent event : events) {
      if (EventType.LLM_COMPLETED.equals(event.type())) {
        turns++;
      } else if (EventType.CONTEXT_COMPACTED.equals(event.type())) {
        turns += event.data().path("modelCalls").asInt(1);
      }
    }
    return turns;
  }

  private static boolean canResume(RunHandle existing, RunRequest request) {
    return !existing.running()
        && request.resumeRequested()
        && !existing.projection().phase().isFinal();
  }

  private RunSummary summary(RunHandle handle) {
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
}
