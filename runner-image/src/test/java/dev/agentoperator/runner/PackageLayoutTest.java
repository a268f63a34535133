package dev.agentoperator.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependencies the runner's packages are laid out for, read from the sources' imports: the
 * entry point depends on its commands and nothing depends on it; the service layer (runs, plans,
 * directories) knows nothing of the HTTP API that serves it nor of the process that wires both.
 */
class PackageLayoutTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/agentoperator/runner");

  private static List<Path> sourcesIn(String pkg) {
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> importsOf(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "file: import line" for each import in {@code pkg} that names one of {@code forbidden}. */
  private static List<String> importsFrom(String pkg, String... forbidden) {
    return sourcesIn(pkg).stream()
        .flatMap(
            f ->
                importsOf(f).stream()
                    .filter(
                        l ->
                            Stream.of(forbidden)
                                .anyMatch(p -> l.startsWith("import dev.agentoperator.runner." + p)))
                    .map(l -> SOURCES.relativize(f) + ": " + l))
        .toList();
  }

  @Test
  void shouldImportTheEntryPointFromNoOtherClass() {
    assertThat(importsFrom("", "RunnerMain;")).isEmpty();
  }

  @Test
  void shouldKeepTheServiceLayerFreeOfTheHttpApiAndTheServeProcess() {
    assertThat(importsFrom("service", "http.", "serve.")).isEmpty();
    assertThat(importsFrom("http", "serve.")).isEmpty();
  }
}
