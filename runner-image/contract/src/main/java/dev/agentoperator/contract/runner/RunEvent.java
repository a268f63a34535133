package dev.agentoperator.contract.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;

/**
 * One thing that happened in a run ({@code Event} in the runner API): as the runner persists it in
 * {@code events.jsonl}, serves it on the long-poll and the operator reads it. {@code seq} is
 * gap-free from 1 per run; {@code type} is one of {@link EventType}; {@code time} an RFC 3339
 * instant; {@code data} a small object whose fields per type are in {@code spec/events.md}, typed
 * by {@link EventData#of}.
 */
public record RunEvent(long seq, String type, String time, String runUid, JsonNode data) {

  /** An event stamped with {@code time}. */
  public RunEvent(long seq, String type, Instant time, String runUid, JsonNode data) {
    this(seq, type, time.toString(), runUid, data);
  }

  /** The event's time as an instant. */
  public Instant instant() {
    return Instant.parse(time);
  }

  /** The event's data, never null. */
  public JsonNode dataOrEmpty() {
    return data == null ? JsonNodeFactory.instance.objectNode() : data;
  }

  /** The same event with other data. */
  public RunEvent withData(JsonNode other) {
    return new RunEvent(seq, type, time, runUid, other);
  }
}
