package dev.agentoperator.runner.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One key of a mounted Secret: a file whose content is the value. */
public final class SecretFile {

  private SecretFile() {}

  /**
   * The file's content without surrounding whitespace (Secret files often end with a newline that
   * is not part of the value); empty when the file is missing or blank.
   */
  public static Optional<String> read(Path path) {
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    try {
      String content = Files.readString(path, StandardCharsets.UTF_8).strip();
      return content.isEmpty() ? Optional.empty() : Optional.of(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
