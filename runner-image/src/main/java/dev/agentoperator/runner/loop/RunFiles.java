package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.WireFormat;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's files under {@code <stateDir>/runs/<runUid>/}: {@code transcript.jsonl} (every chat
 * message, one per line, append-only) and {@code checkpoint.json} (replaced atomically). Writes use
 * plain streams because NIO channels refuse to write from an interrupted (cancelled) thread.
 */
public final class RunFiles {

  public static final String TRANSCRIPT = "transcript.jsonl";
  public static final String CHECKPOINT = "checkpoint.json";

  private final Path dir;
  private long transcriptLines;
  // Messages are immutable and written twice (transcript, then every checkpoint): serialise once.
  private final Map<ChatMessage, String> messageJson = new IdentityHashMap<>();

  public RunFiles(Path stateDir, String runUid) {
    this.dir = runDir(stateDir, runUid);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create run directory " + dir + ": " + e.getMessage(), e);
    }
    transcriptLines = readTranscript().size();
  }

  /** How many messages the transcript holds. */
  public long transcriptLines() {
    return transcriptLines;
  }

  public static Path runDir(Path stateDir, String runUid) {
    return stateDir.resolve("runs").resolve(runUid);
  }

  public Path dir() {
    return dir;
  }

  public void appendTranscript(ChatMessage message) {
    byte[] line = (json(message) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileOutputStream out = new FileOutputStream(dir.resolve(TRANSCRIPT).toFile(), true)) {
      out.write(line);
      transcriptLines++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the transcript: " + e.getMessage(), e);
    }
  }

  /**
   * The transcript's messages. A torn last line (the process died while appending) is dropped from
   * the file, so the next append starts on a fresh line.
   */
  public List<ChatMessage> readTranscript() {
    Path file = dir.resolve(TRANSCRIPT);
    List<ChatMessage> messages = new ArrayList<>();
    if (!Files.exists(file)) {
      return messages;
    }
    try {
      String text = Files.readString(file);
      int start = 0;
      while (start < text.length()) {
        int end = text.indexOf('\n', start);
        if (end < 0) {
          repairTornLine(file, text.substring(0, start));
          break;
        }
        String line = text.substring(start, end);
        if (!line.isBlank()) {
          messages.add(WireFormat.message(WireFormat.JSON.readTree(line)));
        }
        start = end + 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the transcript: " + e.getMessage(), e);
    }
    return messages;
  }

  private static void repairTornLine(Path file, String intact) throws IOException {
    try (FileOutputStream out = new FileOutputStream(file.toFile(), false)) {
      out.write(intact.getBytes(StandardCharsets.UTF_8));
    }
  }

  public void writeCheckpoint(Checkpoint checkpoint) {
    Path target = dir.resolve(CHECKPOINT);
    Path temp = dir.resolve(CHECKPOINT + ".tmp");
    try {
      try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
        out.write(toJson(checkpoint).getBytes(StandardCharsets.UTF_8));
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint: " + e.getMessage(), e);
    }
  }

  public Optional<Checkpoint> readCheckpoint() {
    Path file = dir.resolve(CHECKPOINT);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(WireFormat.JSON.readTree(file.toFile())));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "the checkpoint " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  private String json(ChatMessage message) {
    return messageJson.computeIfAbsent(message, m -> WireFormat.message(m).toString());
  }

  private String toJson(Checkpoint c) {
    StringBuilder context = new StringBuilder(",\"context\":[");
    Set<ChatMessage> live = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ChatMessage message : c.context()) {
      if (live.size() > 0) {
        context.append(',');
      }
      context.append(json(message));
      live.add(message);
    }
    context.append("]}");
    messageJson.keySet().retainAll(live);
    String fields = fields(c).toString();
    return fields.substring(0, fields.length() - 1) + context;
  }

  private static ObjectNode fields(Checkpoint c) {
    ObjectNode node = WireFormat.JSON.createObjectNode();
    node.put("runUid", c.runUid());
    node.put("phase", c.phase().name());
    node.put("reason", c.reason());
    node.put("steps", c.steps());
    node.put("toolCalls", c.toolCalls());
    ObjectNode usage = node.putObject("usage");
    usage.put("input", c.usage().inputTokens());
    usage.put("output", c.usage().outputTokens());
    usage.put("total", c.usage().totalTokens());
    usage.put("estimated", c.usage().estimated());
    node.put("startedAt", c.startedAt().toString());
    node.put("result", c.result());
    node.put("message", c.message());
    node.put("transcriptLines", c.transcriptLines());
    return node;
  }

  private static Checkpoint fromJson(JsonNode node) {
    JsonNode usage = node.path("usage");
    List<ChatMessage> context = new ArrayList<>();
    node.path("context").forEach(m -> context.add(WireFormat.message(m)));
    return new Checkpoint(
        node.path("runUid").asText(),
        RunPhase.valueOf(node.path("phase").asText()),
        textOrNull(node, "reason"),
        node.path("steps").asInt(),
        node.path("toolCalls").asInt(),
        new Usage(
            usage.path("input").asLong(),
            usage.path("output").asLong(),
            usage.path("total").asLong(),
            usage.path("estimated").asBoolean()),
        Instant.parse(node.path("startedAt").asText()),
        textOrNull(node, "result"),
        textOrNull(node, "message"),
        context,
        node.path("transcriptLines").asLong());
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
