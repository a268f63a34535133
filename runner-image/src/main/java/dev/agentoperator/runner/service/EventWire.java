package dev.agentoperator.runner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.runner.events.EventLog;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the event fields that {@code spec/runner-api.yaml} promises and the loop does not write:
 * {@code run.started.attempt} (counted from the log), {@code tool.result.summary} (the first line
 * of the output) and {@code snapshot.created.count}/{@code skipped} (from {@link SnapshotNotes}).
 * Fields the loop already wrote are left as they are.
 */
final class EventWire {

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
            event = event.withData(object.deepCopy().put("attempt", attemptsBefore));
          } else {
            attemptsBefore = object.get("attempt").asInt();
          }
        }
        case EventType.TOOL_RESULT -> {
          if (!object.has("summary")) {
            String summary =
                Abbreviate.line(firstLine(object.path("output").asText("")), RunnerApiLimits.TOOL_SUMMARY_MAX_CHARS);
            event = event.withData(object.deepCopy().put("summary", summary));
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
            event = event.withData(copy);
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

  static RunEvent toWire(RunEvent event) {
    return event.data() == null ? event.withData(EventLog.data()) : event;
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

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }
}
