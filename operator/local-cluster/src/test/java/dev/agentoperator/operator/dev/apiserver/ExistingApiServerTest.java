package dev.agentoperator.operator.dev.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dev --kubeconfig}: an API server that runs already, without the operator's CRDs. */
class ExistingApiServerTest {

  @AutoClose static final EmbeddedApiServer server = EmbeddedApiServer.startWithoutCrds();
  @AutoClose static final KubernetesClient client = server.newClient();

  @TempDir Path dir;

  @Test
  void shouldCreateTheMissingCrdsWithOrderedColumnsAndLeaveExistingOnesAlone() {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));

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
    assertThat(first.url()).startsWith(server.url());
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
