package dev.agentoperator.operator.dev.cli;

import static dev.agentoperator.operator.dev.LocalClusterExtension.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.dev.apiserver.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestApplierTest {

  private static EmbeddedApiServer api;
  private static KubernetesClient client;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    api = EmbeddedApiServer.start();
    client = api.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void shouldApplyEveryDocumentOfTheQuickstartAsTypedObjects() {
    ManifestApplier applier = new ManifestApplier(client, ModelOverrides.none());

    List<HasMetadata> objects = applier.read(List.of(example("quickstart.yaml")));
    applier.apply(objects);

    assertThat(objects).hasExactlyElementsOfTypes(ConfigMap.class, AgentRun.class);
    AgentRun stored = client.resources(AgentRun.class).inNamespace("default")
        .withName("quickstart").get();
    assertThat(stored.getSpec().sessionTemplate().model().cassetteRef().name())
        .isEqualTo("quickstart-cassette");
    assertThat(client.configMaps().inNamespace("default").withName("quickstart-cassette").get()
        .getData()).containsKey("cassette.yaml");
  }

  @Test
  void shouldSkipEmptyDocumentsAsKubectlDoes() throws Exception {
    // given a file with empty documents before, between and after the objects
    Path file = dir.resolve("with-empty-documents.yaml");
    Files.writeString(
        file,
        """
        ---
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: first
        ---
        # only a comment
        ---
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: second
        ---
        """);

    // when
    List<HasMetadata> objects = new ManifestApplier(client, ModelOverrides.none()).read(List.of(file));

    // then
    assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("first", "second");
  }

  @Test
  void shouldNameTheDocumentThatIsNotAnObject() throws Exception {
    Path file = dir.resolve("scalar.yaml");
    Files.writeString(file, "---\njust a string\n");

    assertThatThrownBy(() -> new ManifestApplier(client, ModelOverrides.none()).read(List.of(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("document 1: not an object");
  }

  @Test
  void shouldPointOpenAiSessionsAtTheDevelopersEndpointAndModel() {
    ManifestApplier applier = new ManifestApplier(client,
        new ModelOverrides(Optional.of("http://127.0.0.1:9/v1"), Optional.of("local-model")));

    applier.apply(applier.read(List.of(example("session-git-openai.yaml"))));

    AgentSession session = client.resources(AgentSession.class).inNamespace("default")
        .withName("webapp").get();
    assertThat(session.getSpec().model().baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(session.getSpec().model().name()).isEqualTo("local-model");
    assertThat(session.getSpec().model().apiKeySecretRef().name()).isEqualTo("openai-api-key");
  }

  @Test
  void shouldApplyNothingWhenOneDocumentIsUnreadable() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: fine}
        ---
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentRun
        spec: {prompt: no name}
        """);
    ManifestApplier applier = new ManifestApplier(client, ModelOverrides.none());

    assertThatThrownBy(() -> applier.read(List.of(file)))
        .hasMessage(file + ", document 2: needs apiVersion, kind and metadata.name");
    assertThat(client.configMaps().inNamespace("default").withName("fine").get()).isNull();
  }
}
