package dev.agentoperator.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD YAML is generated from the Java model at build time, its printer columns then ordered
 * ({@link PrinterColumnOrder}); the committed copies in {@code crds/} and the Helm chart's are what
 * users apply, so they must never drift from the model.
 */
class CrdDriftTest {

  /** Set {@code -Dcrds.refresh=true} to copy the generated CRDs over the committed ones. */
  private static final boolean REFRESH = Boolean.getBoolean("crds.refresh");

  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  static final Path COMMITTED = Path.of("../crds");
  /** The Helm chart ships the same bytes; HelmChartTest checks them. */
  static final Path CHART_CRDS = Path.of("../charts/agent-operator/crds");

  @Test
  void shouldKeepCommittedCrdsIdenticalToTheGeneratedOnes() throws IOException {
    List<Path> generated = generatedCrds();
    assertThat(generated).as("generated CRDs in %s", GENERATED).hasSize(2);

    for (Path source : generated) {
      Path committed = COMMITTED.resolve(source.getFileName().toString().replace(".yml", ".yaml"));
      String expected = PrinterColumnOrder.ordered(Files.readString(source));
      if (REFRESH) {
        Files.writeString(committed, expected);
        Files.writeString(CHART_CRDS.resolve(committed.getFileName()), expected);
      }
      assertThat(committed)
          .as(
              "%s differs from the CRD generated from the Java model (printer columns ordered);"
                  + " refresh it with"
                  + " ./mvnw -pl operator test -Dtest=CrdDriftTest -Dcrds.refresh=true"
                  + " and commit the result",
              committed)
          .exists()
          .content()
          .isEqualTo(expected);
    }
    try (Stream<Path> files = Files.list(COMMITTED)) {
      assertThat(files.filter(f -> f.toString().endsWith(".yaml")).count())
          .as("CRD files in crds/ that the model no longer generates")
          .isEqualTo(generated.size());
    }
  }

  static List<Path> generatedCrds() throws IOException {
    try (Stream<Path> files = Files.list(GENERATED)) {
      return files.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
    }
  }
}
