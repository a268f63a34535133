package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** Which Secrets and ConfigMaps a sandbox pod cannot start without. */
class SandboxReferencesTest {

  @Test
  void shouldFindVolumeAndEnvReferencesButNotOptionalOnesOrTheOperatorsOwnSecrets() {
    Pod pod =
        new PodBuilder(SandboxPod.desired(SandboxPodTest.session("s", null, null), OperatorConfig.defaults()))
            .editSpec()
            .addNewVolume()
            .withName("cassette")
            .withNewConfigMap()
            .withName("quickstart-cassette")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("maybe")
            .withNewSecret()
            .withSecretName("optional-one")
            .withOptional(true)
            .endSecret()
            .endVolume()
            .editFirstContainer()
            .addNewEnv()
            .withName("MODEL_API_KEY")
            .withNewValueFrom()
            .withNewSecretKeyRef("api-key", "model-key", null)
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build();

    assertThat(SandboxReferences.of(pod, "s").stream().map(Object::toString))
        .contains("ConfigMap 'quickstart-cassette'", "Secret 'model-key'")
        .doesNotContain(
            "Secret 'optional-one'", "Secret '" + SessionNames.runnerTokenSecret("s") + "'");
  }
}
