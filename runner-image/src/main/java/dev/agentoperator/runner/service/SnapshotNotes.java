package dev.agentoperator.runner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a run's snapshots recorded beside their commit id: the history's snapshot count and the
 * files left out for size. The loop's {@code snapshot.created} event carries only the commit, while
 * the API contract promises {@code count} and {@code skipped}; this file ({@code snapshots.jsonl}
 * in the run directory) keeps them across restarts so every answer can carry them.
 */
public final class SnapshotNotes {

  /** One snapshot's note. */
  public record Note(String commit, int count, List<String> skipped) {}

  public static final String FILE_NAME = "snapshots.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, Note> notes = new ConcurrentHashMap<>();

  public SnapshotNotes(Path runDir) {
    this.file = runDir.resolve(FILE_NAME);
    load();
  }

  /** Records a note; written before the loop publishes the event, so readers always find it. */
  public synchronized void record(Note note) {
    ObjectNode line = JSON.createObjectNode();
    line.put("commit", note.commit());
    line.put("count", note.count());
    note.skipped().forEach(line.putArray("skipped")::add);
    // Plain streams: NIO channels refuse to write from an interrupted (cancelled) run thread.
    try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
    notes.put(note.commit(), note);
  }

  public Note find(String commit) {
    return commit == null ? null : notes.get(commit);
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException tornWrite) {
          continue; // a crash mid-append; the commit's event then goes without its note
        }
        List<String> skipped = new ArrayList<>();
        node.path("skipped").forEach(path -> skipped.add(path.asText()));
        Note note =
            new Note(
                node.path("commit").asText(), node.path("count").asInt(), List.copyOf(skipped));
        notes.put(note.commit(), note);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
