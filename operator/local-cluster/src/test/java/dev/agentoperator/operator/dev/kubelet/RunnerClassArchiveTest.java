package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.dev.LocalClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster's class archive of the runner jar: built by the image's training script beside
 * the jar, reused by later clusters, and never the reason a runner JVM fails to start.
 */
class RunnerClassArchiveTest {

  @TempDir Path root;

  @Test
  void shouldStartRunnersWithoutArchiveWhenTheTrainingScriptIsMissing() throws Exception {
    Path jar = root.resolve("agent-runner-test-all.jar");
    Files.copy(LocalClusterExtension.runnerJar(), jar);

    RunnerClassArchive archive = RunnerClassArchive.startFor(jar);

    assertThat(archive.await()).isEmpty();
    assertThat(archive.jvmOptions()).isEmpty();
  }

  @Test
  void shouldBuildTheArchiveOnceAndReuseItForTheSameJar() throws Exception {
    Path jar = repositoryLayout();

    RunnerClassArchive first = RunnerClassArchive.startFor(jar);
    Optional<Path> built = first.await();

    assertThat(built).isPresent();
    assertThat(first.jvmOptions()).contains("-XX:SharedArchiveFile=" + built.get());
    assertThat(runnerHelp(first.jvmOptions(), jar, "-Xshare:on")).isZero();
    long modified = Files.getLastModifiedTime(built.get()).toMillis();

    RunnerClassArchive second = RunnerClassArchive.startFor(jar);
    assertThat(second.await()).isEqualTo(built);
    assertThat(Files.getLastModifiedTime(built.get()).toMillis()).isEqualTo(modified);
    try (Stream<Path> files = Files.list(jar.getParent())) {
      assertThat(files.filter(f -> f.toString().contains(".partial-"))).isEmpty();
    }
  }

  @Test
  void shouldStillStartTheRunnerWhenTheArchiveIsCorrupt() throws Exception {
    Path jar = repositoryLayout();
    RunnerClassArchive archive = RunnerClassArchive.startFor(jar);
    Path built = archive.await().orElseThrow();

    Files.write(built, new byte[4096]);

    assertThat(runnerHelp(archive.jvmOptions(), jar, "-Xshare:auto")).isZero();
  }

  /** The jar in {@code runner-image/target}, the image's training script where the repo has it. */
  private Path repositoryLayout() throws Exception {
    Path target = Files.createDirectories(root.resolve("runner-image/target"));
    Path jar = target.resolve("agent-runner-test-all.jar");
    Files.copy(LocalClusterExtension.runnerJar(), jar);
    Path script = Files.createDirectories(root.resolve("runner-image/src/main/docker"))
        .resolve("train-class-archive.sh");
    Files.copy(LocalClusterExtension.REPOSITORY.resolve("runner-image/src/main/docker/train-class-archive.sh"), script,
        StandardCopyOption.COPY_ATTRIBUTES);
    return jar;
  }

  private static int runnerHelp(List<String> options, Path jar, String share) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of(share, "-jar", jar.toString(), "help"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }
}
