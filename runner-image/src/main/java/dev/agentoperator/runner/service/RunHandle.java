package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.loop.AgentLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run this runner knows: its persisted events, its snapshot notes, the approvals answered
 * through the API, and, while it runs in this process, its loop. A run read back from disk after a
 * restart has no loop until it is resumed.
 */
final class RunHandle {

  private final String uid;
  private final EventLog events;
  private final SnapshotNotes notes;
  private final Map<String, ApprovalDecision> answers = new ConcurrentHashMap<>();
  private final Map<String, QuestionAnswer> questionAnswers = new ConcurrentHashMap<>();
  private final RunProjection projection = new RunProjection();
  private volatile AgentLoop loop;
  private volatile boolean running;

  RunHandle(String uid, Path runDir) {
    this.uid = uid;
    this.events = new EventLog(runDir, uid);
    this.notes = new SnapshotNotes(runDir);
  }

  String uid() {
    return uid;
  }

  EventLog events() {
    return events;
  }

  SnapshotNotes notes() {
    return notes;
  }

  /**
   * Answers given through the API: a second, different answer is refused at once, and a loop
   * started later (a resume) gets the answers given while nothing ran.
   */
  Map<String, ApprovalDecision> answers() {
    return answers;
  }

  /** Answers to questions given through the API; like {@link #answers()} for approvals. */
  Map<String, QuestionAnswer> questionAnswers() {
    return questionAnswers;
  }

  AgentLoop loop() {
    return loop;
  }

  boolean running() {
    return running;
  }

  void started(AgentLoop value) {
    loop = value;
    running = true;
  }

  void stopped() {
    running = false;
  }

  /** The run's events as the API serves them (with the contract's derived fields). */
  List<RunEvent> wireEvents(long after, int max) {
    return EventWire.enrich(events, notes, events.after(after, max));
  }

  /**
   * The summary fold of all events so far. Kept and advanced with the new events only, so a
   * long-poll on a long run does not refold its whole history each time.
   */
  synchronized RunProjection projection() {
    List<RunEvent> fresh = events.after(projection.lastSeq(), Integer.MAX_VALUE);
    for (RunEvent event : fresh) {
      projection.apply(
          EventType.SNAPSHOT_CREATED.equals(event.type())
              ? EventWire.enrich(events, notes, List.of(event)).getFirst()
              : event);
    }
    return projection.copy();
  }
}
