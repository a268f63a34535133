package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImagesTest {

  @TempDir Path dir;

  @Test
  void shouldGiveTheRunnerSettingsToTheRunnerBinaryOnly() {
    // given the runner image with settings for its runner processes
    LocalImages images = LocalImages.withRunnerJar("example/agent-runner:1", dir.resolve("r.jar"))
        .withRunnerEnv(Map.of("AGENT_MODEL_RETRY_BACKOFF_MS", "20"));

    // when a container runs the runner binary, and another one a command of the image
    LocalImages.LocalCommand runner = images.commandLine(container("agent-runner", "serve"))
        .orElseThrow();
    LocalImages.LocalCommand other = images.commandLine(container("/agent/bin/agent-executor"))
        .orElseThrow();

    // then only the runner starts with them
    assertThat(runner.executable()).anyMatch(part -> part.endsWith("r.jar"));
    assertThat(runner.baseEnv()).containsExactly(Map.entry("AGENT_MODEL_RETRY_BACKOFF_MS", "20"));
    assertThat(other.runsImageCommand()).isTrue();
    assertThat(other.baseEnv()).isEmpty();
  }

  private static Container container(String... command) {
    return new ContainerBuilder().withName("c").withImage("example/agent-runner:1")
        .withCommand(command).build();
  }
}
