package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.loop.Checkpoint;
import dev.agentoperator.runner.loop.RunFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run whose loop is not running: a snapshot to restore that does not exist, a cancel of a
 * run a restart interrupted, a failure outside the loop. Writes the same final event the loop would
 * ({@code spec/events.md}) and a final checkpoint, so a later resume reports the outcome instead of
 * starting the task over.
 */
final class LoopFreeOutcome {

  private static final Logger LOG = LoggerFactory.getLogger(LoopFreeOutcome.class);

  private final Path stateDir;
  private final Clock clock;

  LoopFreeOutcome(Path stateDir, Clock clock) {
    this.stateDir = stateDir;
    this.clock = clock;
  }

  /** The {@code run.started} of a run that ends before its loop starts. */
  void started(RunHandle handle) {
    handle.events().append(new EventData.RunStarted(false, null, null, 0, null));
  }

  void end(RunHandle handle, RunPhase phase, String reason, String message) {
    RunSummary before = handle.projection().summary(handle.uid());
    RunFiles files = new RunFiles(stateDir, handle.uid());
    try {
      Optional<Checkpoint> previous = files.readCheckpoint();
      files.writeCheckpoint(
          new Checkpoint(
              handle.uid(),
              phase,
              reason,
              before.steps(),
              before.toolCalls(),
              previous.map(Checkpoint::usage).orElse(Usage.ZERO),
              previous.map(Checkpoint::startedAt).orElse(clock.instant()),
              null,
              message,
              previous.map(Checkpoint::context).orElse(List.of()),
              previous.map(Checkpoint::transcriptLines).orElse(0L)));
    } catch (RuntimeException e) {
      LOG.warn("run {}: cannot write the final checkpoint", handle.uid(), e);
    }
    handle
        .events()
        .append(
            EventData.ended(
                phase, reason, message, before.steps(), before.toolCalls(), before.usage()));
  }
}
