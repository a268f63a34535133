package dev.agentoperator.operator.dev.apiserver;

import dev.agentoperator.operator.api.v1alpha1.PrinterColumnOrder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's CRDs as the crd-generator writes them into the operator's jar, with their printer
 * columns ordered as in {@code crds/}.
 */
final class OperatorCrds {

  static final List<String> RESOURCES =
      List.of(
          "META-INF/fabric8/agentsessions.agentoperator.dev-v1.yml",
          "META-INF/fabric8/agentruns.agentoperator.dev-v1.yml");

  private OperatorCrds() {}

  /**
   * Creates the CRDs the API does not have yet and returns the names of those it created. Existing
   * ones are left as they are: on a real cluster they may come from the Helm chart.
   */
  static List<String> installMissing(KubernetesClient client) {
    List<String> created = new ArrayList<>();
    for (CustomResourceDefinition crd : load()) {
      var existing = client.apiextensions().v1().customResourceDefinitions().resource(crd);
      if (existing.get() == null) {
        existing.create();
        created.add(crd.getMetadata().getName());
      }
    }
    return created;
  }

  static List<CustomResourceDefinition> load() {
    ClassLoader loader = OperatorCrds.class.getClassLoader();
    return RESOURCES.stream()
        .map(
            name -> {
              try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                  throw new IllegalStateException(
                      "the generated CRD " + name + " is not on the classpath; build the operator"
                          + " module first");
                }
                return PrinterColumnOrder.ordered(
                    Serialization.unmarshal(in, CustomResourceDefinition.class));
              } catch (IOException e) {
                throw new UncheckedIOException("could not read " + name, e);
              }
            })
        .toList();
  }
}
