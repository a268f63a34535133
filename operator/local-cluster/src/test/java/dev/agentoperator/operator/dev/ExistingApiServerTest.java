package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dev --kubeconfig}: an API server that runs already, without the operator's CRDs. */
@EnableKubernetesMockClient(crud = true, https = false)
class ExistingApiServerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @TempDir Path dir;

  @Test
  void shouldCreateTheMissingCrdsWithOrderedColumnsAndLeaveExistingOnesAlone() {
    Path kubeconfig = EmbeddedApiServer.writeKubeconfig(dir.resolve("kubeconfig"),
        client.getMasterUrl().toString());

    ExistingApiServer first = ExistingApiServer.connect(kubeconfig);
    ExistingApiServer second = ExistingApiServer.connect(kubeconfig);

    assertThat(first.createdCrds())
        .containsExactly("agentsessions.agentoperator.dev", "agentruns.agentoperator.dev");
    assertThat(second.createdCrds()).isEmpty();
    CustomResourceDefinition runs = client.apiextensions().v1().customResourceDefinitions()
        .withName("agentruns.agentoperator.dev").get();
    assertThat(runs.getSpec().getVersions().getFirst().getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactly("Session", "Phase", "Steps", "Tokens", "Age");
    assertThat(first.url()).startsWith(client.getMasterUrl().toString().replaceAll("/$", ""));
    assertThat(first.kubeconfig()).isEqualTo(kubeconfig);
  }

  @Test
  void shouldSayWhatIsWrongWithAMissingOrBrokenKubeconfig() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken"), "clusters: [not: {a: kubeconfig");

    assertThatThrownBy(() -> ExistingApiServer.connect(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kubeconfig names")
        .hasMessageContaining("not a readable file");
    assertThatThrownBy(() -> ExistingApiServer.connect(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a kubeconfig");
  }
}
