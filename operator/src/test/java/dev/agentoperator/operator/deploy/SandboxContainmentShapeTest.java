package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.session.SandboxPod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boundary as the pod spec draws it, for every sandbox pod the operator would create: the
 * {@code sandbox} container, where the agent's tools run, gets no Secret (by env or volume), no
 * state, a uid of its own and no shared process namespace; only the {@code runner} holds the token.
 */
class SandboxContainmentShapeTest {

  static Stream<Path> desiredPods() throws IOException {
    return SandboxPodSecurityTest.desiredPods();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("desiredPods")
  void shouldGiveTheSandboxContainerNoSecretNoStateAndItsOwnUid(Path golden) throws IOException {
    Pod pod = Serialization.unmarshal(Files.readString(golden), Pod.class);
    Container runner = container(pod, SandboxPod.RUNNER_CONTAINER);
    Container sandbox = container(pod, SandboxPod.SANDBOX_CONTAINER);
    Map<String, Volume> volumes = pod.getSpec().getVolumes().stream()
        .collect(Collectors.toMap(Volume::getName, Function.identity()));

    assertThat(pod.getSpec().getShareProcessNamespace()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(sandbox.getEnvFrom()).isEmpty();
    for (EnvVar var : sandbox.getEnv()) {
      assertThat(var.getValueFrom() == null || var.getValueFrom().getSecretKeyRef() == null)
          .as("sandbox env %s reads a Secret", var.getName()).isTrue();
      assertThat(var.getName()).isNotIn("AGENT_RUNNER_TOKEN", "AGENT_MODEL_API_KEY");
    }
    for (VolumeMount mount : sandbox.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      assertThat(volume.getSecret()).as("sandbox mounts Secret volume %s", mount.getName()).isNull();
      assertThat(volume.getProjected()).as("projected volume %s", mount.getName()).isNull();
      if (volume.getPersistentVolumeClaim() != null) {
        assertThat(mount.getSubPath()).as("the sandbox sees only the workspace of the claim")
            .isEqualTo("workspace");
      }
    }
    assertThat(sandbox.getSecurityContext().getRunAsUser())
        .isNotEqualTo(runner.getSecurityContext().getRunAsUser());
    assertThat(runner.getEnv()).extracting(EnvVar::getName)
        .contains("AGENT_RUNNER_TOKEN", "AGENT_EXECUTOR_SOCKET");
    Set<String> sandboxMounts = sandbox.getVolumeMounts().stream().map(VolumeMount::getMountPath)
        .collect(Collectors.toSet());
    assertThat(sandboxMounts).doesNotContain("/data", "/data/state");
  }

  @Test
  void shouldMountThePushAndPullRequestSecretsIntoTheRunnerContainerOnly() throws IOException {
    Pod pod = Serialization.unmarshal(
        Files.readString(Path.of("src/test/resources/desired/git-publish/out-Pod.yaml")), Pod.class);
    Set<String> publishing = Set.of("github-push-token", "github-pr-token");
    Set<String> volumes = pod.getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null && publishing.contains(v.getSecret().getSecretName()))
        .map(Volume::getName).collect(Collectors.toSet());
    assertThat(volumes).hasSize(2);

    Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
        .forEach(c -> {
          Set<String> mounted = c.getVolumeMounts().stream().map(VolumeMount::getName)
              .filter(volumes::contains).collect(Collectors.toSet());
          if (c.getName().equals(SandboxPod.RUNNER_CONTAINER)) {
            assertThat(mounted).as("runner").isEqualTo(volumes);
            assertThat(c.getVolumeMounts()).filteredOn(m -> volumes.contains(m.getName()))
                .allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()));
          } else {
            assertThat(mounted).as(c.getName()).isEmpty();
          }
        });
  }

  private static Container container(Pod pod, String name) {
    return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no container " + name));
  }
}
