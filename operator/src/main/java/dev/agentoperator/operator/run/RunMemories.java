package dev.agentoperator.operator.run;

import dev.agentoperator.operator.runnerclient.RunnerEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link RunMemory} of every unfinished run. Forgetting a run also stops following its runner
 * events: both belong to the run's active life and end together.
 */
final class RunMemories {

  private final Map<ResourceID, RunMemory> byRun = new ConcurrentHashMap<>();
  private final RunnerEventSource events;

  RunMemories(RunnerEventSource events) {
    this.events = events;
  }

  /** The run's memory, made empty on first sight. */
  RunMemory of(ResourceID run) {
    return byRun.computeIfAbsent(run, k -> new RunMemory());
  }

  /** Drops the run's memory and its event stream (it ended or was deleted). */
  void forget(ResourceID run) {
    byRun.remove(run);
    events.unwatch(run);
  }

  /** How many runs are remembered (for tests: nothing stays behind an ended run). */
  int size() {
    return byRun.size();
  }
}
