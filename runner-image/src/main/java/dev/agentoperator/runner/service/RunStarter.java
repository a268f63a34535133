package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.runner.loop.AgentLoop;
import dev.agentoperator.runner.loop.LoopConfig;
import dev.agentoperator.runner.loop.RunFiles;
import dev.agentoperator.runner.workspace.SnapshotException;
import dev.agentoperator.runner.workspace.SnapshotNotFoundException;
import dev.agentoperator.runner.workspace.Snapshotter;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and resumes runs ({@code PUT /v1/runs/{uid}}): builds the run's loop (model, tools, the
 * session's MCP servers, the replies given while nothing ran), restores a snapshot before the first
 * step when asked, and runs the loop on a virtual thread that frees the workspace when it returns.
 */
final class RunStarter {

  private static final Logger LOG = LoggerFactory.getLogger(RunStarter.class);

  private final LoopConfig baseConfig;
  private final ModelPerRun modelPerRun;
  private final Snapshotter snapshotter;
  private final SessionMcpServers mcp;
  private final RunDirectory runs;
  private final ActiveRun active;
  private final LoopFreeOutcome outcomes;

  /**
   * @param baseConfig the loop settings every run shares, its snapshot hook already over {@code
   *     snapshotter}
   */
  RunStarter(
      LoopConfig baseConfig,
      ModelPerRun modelPerRun,
      Snapshotter snapshotter,
      SessionMcpServers mcp,
      RunDirectory runs,
      ActiveRun active,
      LoopFreeOutcome outcomes) {
    this.baseConfig = baseConfig;
    this.modelPerRun = modelPerRun;
    this.snapshotter = snapshotter;
    this.mcp = mcp;
    this.runs = runs;
    this.active = active;
    this.outcomes = outcomes;
  }

  /** What a start did: {@code started} false when the run existed and is reported as it is. */
  record Start(boolean started, RunHandle handle) {}

  /** Starts or resumes run {@code uid}, or leaves an existing run that is not to be resumed. */
  Start start(String uid, RunRequest request) {
    RunDirectory.checkUid(uid);
    synchronized (active) {
      RunHandle existing = runs.find(uid);
      if (existing != null && !canResume(existing, request)) {
        return new Start(false, existing);
      }
      active.requireFreeFor(uid);
      // A checkpoint without events: the process died between the first checkpoint and
      // run.started.
      boolean resume =
          existing != null
              || Files.exists(
                  RunFiles.runDir(baseConfig.stateDir(), uid).resolve(RunFiles.CHECKPOINT));
      mcp.selected(request.mcpServers()); // a 400 before anything is created
      RunHandle handle = existing != null ? existing : runs.open(uid);
      Optional<McpRunToolBox> mcpTools = mcp.forRun(request.mcpServers(), handle.events());
      AgentLoop loop = loop(uid, request, handle, mcpTools);
      handle.started(loop);
      active.take(handle);
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
      return new Start(true, handle);
    }
  }

  private AgentLoop loop(
      String uid, RunRequest request, RunHandle handle, Optional<McpRunToolBox> mcpTools) {
    RunPlan plan = RunPlan.of(uid, request, baseConfig);
    LoopConfig config = mcpTools.map(plan.config()::withTools).orElse(plan.config());
    AgentLoop loop =
        new AgentLoop(
            config.withModel(
                modelPerRun
                    .forRun(turnsPlayed(handle.events().all()))
                    .forRun(uid, plan.spec().limits().maxTokens())),
            plan.spec(),
            handle.events());
    // Replies given while the run was not running (after a restart) wait in the gates for the
    // approval or question the resumed loop asks again.
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
    return loop;
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
      active.release(handle);
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
}
