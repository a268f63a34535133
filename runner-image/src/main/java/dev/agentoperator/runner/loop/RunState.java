package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's progress, what its checkpoint records: phase, counters, token use, start time, the
 * context and, once ended, the result. Every message of the context goes to the transcript as it
 * is added, so a crash loses at most the step in flight (see {@link ResumePoint}). Only the run's
 * thread changes it; the counters are volatile because the HTTP service reads them meanwhile.
 */
final class RunState {

  private final String runUid;
  private final RunFiles files;

  private volatile RunPhase phase = RunPhase.Running;
  private volatile int steps;
  private volatile int toolCalls;
  private volatile Usage usage = Usage.ZERO;
  private volatile RunResult finalResult;
  private Instant startedAt;
  private List<ChatMessage> context = new ArrayList<>();

  RunState(String runUid, RunFiles files) {
    this.runUid = runUid;
    this.files = files;
  }

  /** A new run: the system prompt and the task, recorded. */
  void start(Instant at, ChatMessage system, ChatMessage task) {
    startedAt = at;
    append(system);
    append(task);
  }

  /** A run continued from its checkpoint; nothing is written (it is all on disk already). */
  void restore(ResumePoint point) {
    startedAt = point.startedAt();
    steps = point.steps();
    toolCalls = point.toolCalls();
    usage = point.usage();
    context = new ArrayList<>(point.context());
  }

  /** The numbers now (final once the run ended). */
  RunResult current() {
    RunResult done = finalResult;
    return done != null
        ? done
        : new RunResult(runUid, phase, null, steps, toolCalls, usage, null, null);
  }

  /** Adds a message to the context and the transcript. */
  void append(ChatMessage message) {
    context.add(message);
    files.appendTranscript(message);
  }

  /** Compaction replaced the context; its summary (if any) joins the transcript. */
  void compacted(List<ChatMessage> fitted, ChatMessage summary, Usage cost) {
    usage = usage.plus(cost);
    context = new ArrayList<>(fitted);
    if (summary != null) {
      files.appendTranscript(summary);
    }
  }

  /** Starts the next step and returns its number. */
  int nextStep() {
    return ++steps;
  }

  void countToolCall() {
    toolCalls++;
  }

  void addUsage(Usage more) {
    usage = usage.plus(more);
  }

  void phase(RunPhase value) {
    phase = value;
  }

  /** Records how the run ended; {@link #checkpoint()} then makes it final on disk. */
  RunResult end(RunPhase outcome, String reason, String result, String message) {
    phase = outcome;
    finalResult = new RunResult(runUid, outcome, reason, steps, toolCalls, usage, result, message);
    return finalResult;
  }

  /** The numbers of a run stopped to be resumed: still Running, no final result. */
  RunResult suspended() {
    return new RunResult(
        runUid,
        RunPhase.Running,
        "Suspended",
        steps,
        toolCalls,
        usage,
        null,
        "the run was suspended after " + steps + " step(s); resume it to continue");
  }

  /** A finished run read back from its checkpoint. */
  RunResult ended(RunResult recorded) {
    finalResult = recorded;
    return recorded;
  }

  void checkpoint() {
    RunResult done = finalResult;
    files.writeCheckpoint(
        new Checkpoint(
            runUid,
            phase,
            done == null ? null : done.reason(),
            steps,
            toolCalls,
            usage,
            startedAt,
            done == null ? null : done.result(),
            done == null ? null : done.message(),
            context,
            files.transcriptLines()));
  }

  String runUid() {
    return runUid;
  }

  RunFiles files() {
    return files;
  }

  int steps() {
    return steps;
  }

  int toolCalls() {
    return toolCalls;
  }

  Usage usage() {
    return usage;
  }

  Instant startedAt() {
    return startedAt;
  }

  List<ChatMessage> context() {
    return context;
  }
}
