package dev.agentoperator.runner.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.contract.runner.RunEvent;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events of one run, persisted as JSONL ({@code events.jsonl}) with a gap-free {@code seq}
 * starting at 1. Constructing it reloads the file, so a restarted process continues the sequence.
 * Readers page with {@link #after} or long-poll with {@link #awaitAfter}.
 */
public final class EventLog {

  public static final String FILE_NAME = "events.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String runUid;
  private final Clock clock;
  private final List<RunEvent> events = new ArrayList<>();
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();

  public EventLog(Path runDir, String runUid) {
    this(runDir, runUid, Clock.systemUTC());
  }

  public EventLog(Path runDir, String runUid, Clock clock) {
    this.file = runDir.resolve(FILE_NAME);
    this.runUid = runUid;
    this.clock = clock;
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + runDir, e);
    }
    reload();
  }

  public String runUid() {
    return runUid;
  }

  public void addListener(EventListener listener) {
    listeners.add(listener);
  }

  /** Persists and publishes a new event with the next {@code seq}. */
  public RunEvent append(String type, JsonNode data) {
    RunEvent event;
    lock.lock();
    try {
      event = new RunEvent(events.size() + 1L, type, clock.instant(), runUid, data);
      write(event);
      events.add(event);
      appended.signalAll();
    } finally {
      lock.unlock();
    }
    for (EventListener listener : listeners) {
      listener.onEvent(event);
    }
    return event;
  }

  /** Persists and publishes typed event data ({@link EventData}) with the next {@code seq}. */
  public RunEvent append(EventData data) {
    return append(data.type(), EventData.toJson(data));
  }

  /** A fresh JSON object for an event's {@code data}. */
  public static ObjectNode data() {
    return JSON.createObjectNode();
  }

  /** Up to {@code max} events with a seq above {@code seq}, oldest first. */
  public List<RunEvent> after(long seq, int max) {
    lock.lock();
    try {
      int from = (int) Math.max(0, Math.min(seq, events.size()));
      int to = (int) Math.min(events.size(), (long) from + Math.max(0, max));
      return List.copyOf(events.subList(from, to));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to {@code wait} until an event with a seq above {@code seq} exists and returns the
   * latest seq (which equals {@code seq} or less when the wait ran out).
   */
  public long awaitAfter(long seq, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (events.size() <= seq) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        appended.await(left, TimeUnit.NANOSECONDS);
      }
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  public long lastSeq() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  /** All events so far (a copy). */
  public List<RunEvent> all() {
    return after(0, Integer.MAX_VALUE);
  }

  public static String toJson(RunEvent event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("seq", event.seq());
    node.put("type", event.type());
    node.put("time", event.time().toString());
    node.put("runUid", event.runUid());
    node.set("data", event.data() == null ? JSON.createObjectNode() : event.data());
    return node.toString();
  }

  public static RunEvent fromJson(String line) throws IOException {
    JsonNode node = JSON.readTree(line);
    return new RunEvent(
        node.path("seq").asLong(),
        node.path("type").asText(),
        Instant.parse(node.path("time").asText()),
        node.path("runUid").asText(),
        node.path("data"));
  }

  private void write(RunEvent event) {
    // FileOutputStream, not NIO channels: an interrupted (cancelled) run thread must still record.
    byte[] line = (toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
      out.write(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  private void reload() {
    if (!Files.exists(file)) {
      return;
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String[] lines = text.split("\n", -1);
    StringBuilder kept = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      RunEvent event;
      try {
        event = fromJson(line);
      } catch (IOException | RuntimeException tornWrite) {
        // A crash mid-append leaves a partial last line; everything before it is intact.
        break;
      }
      if (event.seq() != events.size() + 1L) {
        break;
      }
      events.add(event);
      kept.append(line).append('\n');
    }
    if (kept.length() != text.length()) {
      try (FileOutputStream out = new FileOutputStream(file.toFile(), false)) {
        out.write(kept.toString().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot repair " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
