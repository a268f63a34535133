package dev.agentoperator.runner.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the contract files of {@code spec/} that ship inside the runner jar. */
public final class SpecResources {

  private SpecResources() {}

  /** The default system prompt ({@code spec/system-prompt.md}). */
  public static String systemPrompt() {
    return read("spec/system-prompt.md");
  }

  /** The instructions for summarising older turns ({@code spec/compaction-prompt.md}). */
  public static String compactionPrompt() {
    return read("spec/compaction-prompt.md");
  }

  public static String read(String resource) {
    try (InputStream in = SpecResources.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the runner's classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
