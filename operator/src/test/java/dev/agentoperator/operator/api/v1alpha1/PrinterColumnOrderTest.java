package dev.agentoperator.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `kubectl get` shows the columns identity first, Age last, whatever order the generator uses. */
class PrinterColumnOrderTest {

  @Test
  void shouldShowRunsWithSessionPhaseStepsTokensThenAge() throws IOException {
    CustomResourceDefinition crd = PrinterColumnOrder.ordered(generated("agentruns"));

    assertThat(columns(crd)).containsExactly("Session", "Phase", "Steps", "Tokens", "Age");
  }

  @Test
  void shouldShowSessionsWithPhasePodActiveThenAge() throws IOException {
    CustomResourceDefinition crd = PrinterColumnOrder.ordered(generated("agentsessions"));

    assertThat(columns(crd)).containsExactly("Phase", "Pod", "Active", "Age");
  }

  @Test
  void shouldWriteTheOrderedCrdInTheGeneratorsFormat() throws IOException {
    String text = Files.readString(CrdDriftTest.GENERATED.resolve(
        "agentruns.agentoperator.dev-v1.yml"));

    String ordered = PrinterColumnOrder.ordered(text);

    assertThat(ordered).startsWith(PrinterColumnOrder.GENERATED_HEADER + "apiVersion: \"");
    assertThat(ordered.indexOf("name: \"Session\"")).isLessThan(ordered.indexOf("name: \"Age\""));
    assertThat(ordered.lines().count()).isEqualTo(text.lines().count());
  }

  @Test
  void shouldRefuseAColumnTheOrderDoesNotName() throws IOException {
    CustomResourceDefinition crd = generated("agentruns");
    List<CustomResourceColumnDefinition> columns =
        new ArrayList<>(crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns());
    columns.add(new CustomResourceColumnDefinitionBuilder().withName("Model")
        .withJsonPath(".spec.model.name").withType("string").build());
    crd.getSpec().getVersions().getFirst().setAdditionalPrinterColumns(columns);

    assertThatThrownBy(() -> PrinterColumnOrder.ordered(crd))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Model")
        .hasMessageContaining("list every @PrinterColumn there");
  }

  private static CustomResourceDefinition generated(String plural) throws IOException {
    Path file = CrdDriftTest.GENERATED.resolve(plural + ".agentoperator.dev-v1.yml");
    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
  }

  private static List<String> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName).toList();
  }
}
