package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerJarLocatorTest {

  @TempDir Path repo;

  @Test
  void shouldFindTheShadedJarFromASubdirectoryOfTheRepository() throws Exception {
    Path target = Files.createDirectories(repo.resolve("runner-image/target"));
    Files.writeString(target.resolve("agent-runner-0.1.0-SNAPSHOT.jar"), "thin");
    Path shaded = Files.writeString(target.resolve("agent-runner-0.1.0-SNAPSHOT-all.jar"), "fat");
    Path sub = Files.createDirectories(repo.resolve("operator/src"));

    assertThat(RunnerJarLocator.locate(Optional.empty(), Map.of(), sub)).isEqualTo(shaded);
  }

  @Test
  void shouldPreferTheFlagThenTheEnvironment() throws Exception {
    Path flag = Files.writeString(repo.resolve("flag.jar"), "x");
    Path fromEnv = Files.writeString(repo.resolve("env.jar"), "x");
    Map<String, String> env = Map.of(RunnerJarLocator.ENV, fromEnv.toString());

    assertThat(RunnerJarLocator.locate(Optional.of(flag), env, repo)).isEqualTo(flag);
    assertThat(RunnerJarLocator.locate(Optional.empty(), env, repo)).isEqualTo(fromEnv);
  }

  @Test
  void shouldSayHowToBuildTheJarWhenItIsMissing() {
    assertThatThrownBy(() -> RunnerJarLocator.search(List.of(repo)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("./mvnw -B -q -DskipTests package")
        .hasMessageContaining(repo.resolve("runner-image/target").toString());
    assertThatThrownBy(() -> RunnerJarLocator.locate(
            Optional.of(repo.resolve("missing.jar")), Map.of(), repo))
        .hasMessageContaining("--runner-jar names");
  }
}
