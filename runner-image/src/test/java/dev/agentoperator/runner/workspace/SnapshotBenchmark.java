package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of a snapshot grows with the files changed, not with the workspace: the first snapshot
 * of a 10,000-file workspace versus a snapshot after changing one file in it. Run with {@code
 * ./mvnw -Pbench -pl runner-image test -Dtest=SnapshotBenchmark}; figures go into BENCHMARKS.md.
 */
@Tag("bench")
class SnapshotBenchmark {

  private static final int DIRECTORIES = 100;
  private static final int FILES_PER_DIRECTORY = 100;
  private static final int ROUNDS = 10;
  private static final int GENERATED_FILES = 2000;

  @TempDir Path root;

  @Test
  void snapshotCostFollowsChangedFilesNotWorkspaceSize() throws IOException {
    Path workspace = root.resolve("workspace");
    Path gitDir = root.resolve("state/snapshots.git");
    createWorkspace(workspace);

    try (Snapshotter snapshotter =
        Snapshotter.open(workspace, gitDir, WorkspaceSettings.DEFAULT_SNAPSHOT_MAX_FILE_BYTES)) {
      Timed<Optional<Snapshot>> first = time(() -> snapshotter.snapshot("first"));
      assertThat(first.value()).isPresent();

      List<Duration> oneFile = new ArrayList<>();
      List<Duration> oneFileCpu = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        String message = "round " + round;
        Files.writeString(workspace.resolve("d42/f17.txt"), message + "\n");
        Timed<Optional<Snapshot>> snapshot = time(() -> snapshotter.snapshot(message));
        assertThat(snapshot.value()).isPresent();
        oneFile.add(snapshot.elapsed());
        oneFileCpu.add(snapshot.cpu());
      }

      List<Duration> unchanged = new ArrayList<>();
      List<Duration> unchangedCpu = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        Timed<Optional<Snapshot>> snapshot = time(() -> snapshotter.snapshot("unchanged"));
        assertThat(snapshot.value()).isEmpty();
        unchanged.add(snapshot.elapsed());
        unchangedCpu.add(snapshot.cpu());
      }

      for (int f = 0; f < GENERATED_FILES; f++) {
        Files.writeString(
            Files.createDirectories(workspace.resolve("generated/g" + f % 20)).resolve(f + ".txt"),
            content(f, f));
      }
      Timed<Optional<Snapshot>> generated = time(() -> snapshotter.snapshot("generated"));
      assertThat(generated.value()).isPresent();

      String firstCommit = first.value().orElseThrow().commitId();
      Timed<Boolean> restore =
          time(
              () -> {
                snapshotter.restore(firstCommit);
                return true;
              });
      assertThat(workspace.resolve("d42/f17.txt")).hasContent(content(42, 17));
      assertThat(workspace.resolve("generated")).doesNotExist();

      Files.writeString(workspace.resolve("d7/f7.txt"), "changed\n");
      int filesRead = filesReadBySync(workspace, gitDir);

      System.out.printf(
          Locale.ROOT,
          "SnapshotBenchmark: %d files, %d bytes each%n"
              + "  first snapshot:                wall %d ms, cpu %d ms%n"
              + "  snapshot after 1 file changed: wall median %d ms (min %d, max %d),"
              + " cpu median %d ms (%d rounds)%n"
              + "  snapshot with nothing changed: wall median %d ms (min %d, max %d),"
              + " cpu median %d ms (%d rounds)%n"
              + "  snapshot after a step generated %d new files: wall %d ms, cpu %d ms%n"
              + "  restore of the first snapshot: wall %d ms, cpu %d ms%n"
              + "  files read by the index sync after 1 file changed: %d%n",
          DIRECTORIES * FILES_PER_DIRECTORY,
          content(50, 50).length(),
          first.elapsed().toMillis(),
          first.cpu().toMillis(),
          median(oneFile),
          min(oneFile),
          max(oneFile),
          median(oneFileCpu),
          ROUNDS,
          median(unchanged),
          min(unchanged),
          max(unchanged),
          median(unchangedCpu),
          ROUNDS,
          GENERATED_FILES,
          generated.elapsed().toMillis(),
          generated.cpu().toMillis(),
          restore.elapsed().toMillis(),
          restore.cpu().toMillis(),
          filesRead);
      assertThat(filesRead).isLessThanOrEqualTo(2);
    }
  }

  private static int filesReadBySync(Path workspace, Path gitDir) throws IOException {
    try (Repository repository =
            new FileRepositoryBuilder()
                .setGitDir(gitDir.toFile())
                .setWorkTree(workspace.toFile())
                .setMustExist(true)
                .build();
        ObjectInserter inserter = repository.newObjectInserter()) {
      DirCache index = repository.lockDirCache();
      try {
        return new WorkspaceIndex(repository, WorkspaceSettings.DEFAULT_SNAPSHOT_MAX_FILE_BYTES)
            .sync(index, inserter)
            .filesHashed();
      } finally {
        index.unlock();
      }
    }
  }

  private static void createWorkspace(Path workspace) throws IOException {
    for (int d = 0; d < DIRECTORIES; d++) {
      Path dir = Files.createDirectories(workspace.resolve("d" + d));
      for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
        Files.writeString(dir.resolve("f" + f + ".txt"), content(d, f));
      }
    }
  }

  private static String content(int d, int f) {
    return ("line of file " + d + "/" + f + "\n").repeat(40);
  }

  /** Wall-clock and CPU time: the machine is shared, so CPU time is the steadier figure. */
  private record Timed<T>(T value, Duration elapsed, Duration cpu) {}

  private static <T> Timed<T> time(Supplier<T> action) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    T value = action.get();
    return new Timed<>(
        value,
        Duration.ofNanos(System.nanoTime() - start),
        Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpuStart));
  }

  private static long median(List<Duration> durations) {
    List<Duration> sorted = durations.stream().sorted().toList();
    return sorted.get(sorted.size() / 2).toMillis();
  }

  private static long min(List<Duration> durations) {
    return durations.stream().min(Duration::compareTo).orElseThrow().toMillis();
  }

  private static long max(List<Duration> durations) {
    return durations.stream().max(Duration::compareTo).orElseThrow().toMillis();
  }
}
