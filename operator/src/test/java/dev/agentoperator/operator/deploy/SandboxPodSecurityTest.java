package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sandbox pod the operator would create is admitted under the restricted standard. */
class SandboxPodSecurityTest {

  static Stream<Path> desiredPods() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/desired"))) {
      return files.filter(f -> f.getFileName().toString().equals("out-Pod.yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("desiredPods")
  void shouldRunSandboxPodsUnderTheRestrictedPodSecurityStandard(Path golden) throws IOException {
    Pod pod = Serialization.unmarshal(Files.readString(golden), Pod.class);

    assertThat(RestrictedPodSecurity.violations(pod.getSpec())).isEmpty();
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
  }
}
