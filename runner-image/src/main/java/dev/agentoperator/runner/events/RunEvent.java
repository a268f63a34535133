package dev.agentoperator.runner.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One thing that happened in a run. {@code seq} is gap-free from 1 per run; {@code type} is one of
 * {@link EventType}; {@code data} is a small JSON object whose fields per type are in {@code
 * spec/events.md}.
 */
public record RunEvent(long seq, String type, Instant time, String runUid, JsonNode data) {}
