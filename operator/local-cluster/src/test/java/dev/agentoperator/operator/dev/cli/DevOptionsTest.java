package dev.agentoperator.operator.dev.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevOptionsTest {

  @TempDir Path dir;

  @Test
  void shouldDefaultHomeToTargetDevAndTimeoutToThirtyMinutes() throws Exception {
    Path file = Files.writeString(dir.resolve("run.yaml"), "kind: AgentRun\n");

    DevOptions options = DevOptions.parse(List.of(file.toString()));

    assertThat(options.home()).isEqualTo(Path.of("target", "dev"));
    assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(options.runnerJar()).isEmpty();
    assertThat(options.kubeconfig()).as("the embedded API by default").isEmpty();
    assertThat(options.runtime()).as("bubblewrap by default").isEqualTo(RuntimeKind.BWRAP);
    assertThat(options.files()).containsExactly(file);
    assertThat(options.noIsolation()).as("tools are refused without isolation").isFalse();
  }

  @Test
  void shouldReadEveryOption() throws Exception {
    Path file = Files.writeString(dir.resolve("run.yaml"), "kind: AgentRun\n");

    DevOptions options = DevOptions.parse(List.of("--home", "/tmp/h", "--runner-jar", "r.jar",
        "--kubeconfig", "kind.yaml", "--timeout", "90s", "--verbose", "--runtime", "podman",
        "--no-isolation",
        file.toString()));

    assertThat(options.home()).isEqualTo(Path.of("/tmp/h"));
    assertThat(options.runnerJar()).contains(Path.of("r.jar"));
    assertThat(options.kubeconfig()).contains(Path.of("kind.yaml"));
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.verbose()).isTrue();
    assertThat(options.runtime()).isEqualTo(RuntimeKind.PODMAN);
    assertThat(options.noIsolation()).isTrue();
  }

  @Test
  void shouldRefuseAMissingFileAnUnknownOptionAndNoFiles() {
    assertThatThrownBy(() -> DevOptions.parse(List.of("nope.yaml")))
        .hasMessage("no readable file nope.yaml");
    assertThatThrownBy(() -> DevOptions.parse(List.of("--fast")))
        .hasMessage("unknown option --fast");
    assertThatThrownBy(() -> DevOptions.parse(List.of())).hasMessage("no YAML files given");
    assertThatThrownBy(() -> DevOptions.parse(List.of("--home")))
        .hasMessage("--home needs a value");
    assertThatThrownBy(() -> DevOptions.parse(List.of("--kubeconfig")))
        .hasMessage("--kubeconfig needs a value");
    assertThatThrownBy(() -> DevOptions.parse(List.of("--runtime", "docker")))
        .hasMessage("unknown runtime docker (bwrap or podman)");
  }
}
