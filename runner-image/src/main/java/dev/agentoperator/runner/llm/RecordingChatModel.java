package dev.agentoperator.runner.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a real model and appends each answer to a cassette file, so a run against a live endpoint
 * becomes a replayable fixture. The file is rewritten whole after each turn (write temp + move).
 */
public final class RecordingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final Path file;
  private final List<Cassette.Turn> turns = new ArrayList<>();

  public RecordingChatModel(ChatModel delegate, Path file) {
    this.delegate = delegate;
    this.file = file;
    if (Files.exists(file)) {
      turns.addAll(Cassette.load(file).turns());
    }
  }

  @Override
  public ChatResponse complete(ChatRequest request) throws InterruptedException {
    ChatResponse response = delegate.complete(request);
    synchronized (this) {
      turns.add(new Cassette.Turn(null, response));
      write();
    }
    return response;
  }

  private void write() {
    String yaml = new Cassette(file.getFileName().toString(), turns).toYaml();
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      try (var out = new java.io.FileOutputStream(temp.toFile())) {
        out.write(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cassette " + file + ": " + e.getMessage(), e);
    }
  }
}
