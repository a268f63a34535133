package dev.agentoperator.runner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.events.EventType;
import dev.agentoperator.runner.events.RunEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the event fields that {@code spec/runner-api.yaml} promises and the loop does not write:
 * {@code run.started.attempt} (counted from the log), {@code tool.result.summary} (the first line
 * of the output) and {@code snapshot.created.count}/{@code skipped} (from {@link SnapshotNotes}).
 * Fields the loop already wrote are left as they are.
 */
final class EventWire {

  static final int SUMMARY_CHARS = 200;

  private EventWire() {}

  static List<RunEvent> enrich(EventLog log, SnapshotNotes notes, List<RunEvent> events) {
    List<RunEvent> result = new ArrayList<>(events.size());
    int attemptsBefore = -1;
    for (RunEvent event : events) {
      JsonNode data = event.data();
      if (!(data instanceof ObjectNode object)) {
        result.add(event);
        continue;
      }
      switch (event.type()) {
        case EventType.RUN_STARTED -> {
          if (!object.has("attempt")) {
            if (attemptsBefore < 0) {
              attemptsBefore = startsBefore(log, event.seq());
            }
            attemptsBefore++;
            event = withData(event, object.deepCopy().put("attempt", attemptsBefore));
          } else {
            attemptsBefore = object.get("attempt").asInt();
          }
        }
        case EventType.TOOL_RESULT -> {
          if (!object.has("summary")) {
            String summary =
                Abbreviate.line(firstLine(object.path("output").asText("")), SUMMARY_CHARS);
            event = withData(event, object.deepCopy().put("summary", summary));
          }
        }
        case EventType.SNAPSHOT_CREATED -> {
          SnapshotNotes.Note note = notes.find(object.path("commit").asText(null));
          if (!object.has("count") || !object.has("skipped")) {
            ObjectNode copy = object.deepCopy();
            if (!copy.has("count") && note != null) {
              copy.put("count", note.count());
            }
            if (!copy.has("skipped")) {
              var skipped = copy.putArray("skipped");
              if (note != null) {
                note.skipped().forEach(skipped::add);
              }
            }
            event = withData(event, copy);
          }
        }
        default -> {
          // served as written
        }
      }
      result.add(event);
    }
    return result;
  }

  static RunManager.Event toWire(RunEvent event) {
    return new RunManager.Event(
        event.seq(),
        event.type(),
        event.time().toString(),
        event.data() == null ? EventLog.data() : event.data());
  }

  private static int startsBefore(EventLog log, long seq) {
    int starts = 0;
    for (RunEvent earlier : log.after(0, (int) Math.min(Integer.MAX_VALUE, seq - 1))) {
      if (EventType.RUN_STARTED.equals(earlier.type())) {
        starts++;
      }
    }
    return starts;
  }

  private static RunEvent withData(RunEvent event, JsonNode data) {
    return new RunEvent(event.seq(), event.type(), event.time(), event.runUid(), data);
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }
}
