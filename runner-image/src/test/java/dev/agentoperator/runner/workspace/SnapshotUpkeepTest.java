package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots that meet files they may not read, and a snapshot git dir that keeps growing. */
class SnapshotUpkeepTest {

  @TempDir Path root;

  /**
   * As root, mode 000 does not stop a read, so the permission error a runner meets on another
   * uid's file is injected where the file is opened.
   */
  private static WorkspaceIndex.ContentOpener denying(String name) {
    return file -> {
      java.io.File path = ((FileTreeIterator) file).getEntryFile();
      if (path.getName().equals(name)) {
        throw new AccessDeniedException(path.getPath());
      }
      return WorkspaceIndex.ContentOpener.DIRECT.open(file);
    };
  }

  @Test
  void shouldSkipAndReportAnUnreadableFileInsteadOfFailingTheSnapshot() throws IOException {
    // given a workspace with a file the runner cannot open
    Path workspace = root.resolve("workspace");
    Path gitDir = root.resolve("state/snapshots.git");
    write(workspace, "README.md", "hello");
    write(workspace, "secret/owned-by-someone-else", "x");
    try (Snapshotter snapshotter =
        Snapshotter.open(
            workspace,
            gitDir,
            1024,
            denying("owned-by-someone-else"),
            Snapshotter.Compaction.DEFAULT)) {

      // when
      Optional<Snapshot> snapshot = snapshotter.snapshot("run 1 step 1\n");

      // then the snapshot is made without it, and says so
      assertThat(snapshot).isPresent();
      assertThat(snapshot.get().unreadable()).containsExactly("secret/owned-by-someone-else");
      assertThat(snapshot.get().note())
          .isEqualTo("could not read 1 file: secret/owned-by-someone-else");
      assertThat(filesIn(gitDir, snapshot.get().commitId())).containsExactly("README.md");
    }
  }

  @Test
  void shouldKeepTheLastStoredContentOfAFileThatBecameUnreadable() throws IOException {
    Path workspace = root.resolve("workspace");
    Path gitDir = root.resolve("state/snapshots.git");
    write(workspace, "notes.txt", "first");
    try (Snapshotter readable = Snapshotter.open(workspace, gitDir, 1024)) {
      readable.snapshot("one\n");
    }
    write(workspace, "notes.txt", "second, longer");
    write(workspace, "other.txt", "new");

    try (Snapshotter snapshotter =
        Snapshotter.open(
            workspace, gitDir, 1024, denying("notes.txt"), Snapshotter.Compaction.DEFAULT)) {
      Snapshot snapshot = snapshotter.snapshot("two\n").orElseThrow();

      assertThat(snapshot.unreadable()).containsExactly("notes.txt");
      assertThat(filesIn(gitDir, snapshot.commitId())).containsExactly("notes.txt", "other.txt");
    }
  }

  @Test
  void shouldStillFailWhenTheSnapshotGitDirItselfCannotBeRead() throws IOException {
    Path workspace = root.resolve("workspace");
    Path gitDir = root.resolve("state/snapshots.git");
    write(workspace, "a.txt", "a");
    WorkspaceIndex.ContentOpener broken =
        file -> {
          throw new AccessDeniedException(gitDir.resolve("objects").toString());
        };
    try (Snapshotter snapshotter =
        Snapshotter.open(workspace, gitDir, 1024, broken, Snapshotter.Compaction.DEFAULT)) {
      assertThatThrownBy(() -> snapshotter.snapshot("one\n")).isInstanceOf(SnapshotException.class);
    }
  }

  @Test
  void shouldRepackTheSnapshotGitDirWhenLooseObjectsPileUp() throws IOException {
    // given a compaction bound of 10 loose objects, checked every 5 commits
    Path workspace = root.resolve("workspace");
    Path gitDir = root.resolve("state/snapshots.git");
    try (Snapshotter snapshotter =
        Snapshotter.open(
            workspace,
            gitDir,
            1024,
            WorkspaceIndex.ContentOpener.DIRECT,
            new Snapshotter.Compaction(5, 10, 20))) {
      String first = null;
      // when 12 steps each change a file (blob, trees and commit: 4 loose objects each)
      for (int step = 1; step <= 12; step++) {
        write(workspace, "dir/file.txt", "content " + step);
        String commit = snapshotter.snapshot("step " + step + "\n").orElseThrow().commitId();
        first = first == null ? commit : first;
        if (step == 4) {
          assertThat(looseObjects(gitDir)).as("not yet checked").isGreaterThan(10);
        }
      }

      // then the objects were packed at the 5th and 10th commit: few loose ones remain
      assertThat(looseObjects(gitDir)).isLessThanOrEqualTo(2 * 4);
      assertThat(packs(gitDir)).isEqualTo(1);
      // and every snapshot is still there and restorable
      assertThat(snapshotter.count()).isEqualTo(12);
      snapshotter.restore(first);
      assertThat(Files.readString(workspace.resolve("dir/file.txt"))).isEqualTo("content 1");
    }
  }

  private static long looseObjects(Path gitDir) throws IOException {
    try (Stream<Path> files = Files.walk(gitDir.resolve("objects"))) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().matches("[0-9a-f]{2}"))
          .count();
    }
  }

  private static long packs(Path gitDir) throws IOException {
    try (Stream<Path> files = Files.list(gitDir.resolve("objects/pack"))) {
      return files.filter(p -> p.toString().endsWith(".pack")).count();
    }
  }

  private static java.util.List<String> filesIn(Path gitDir, String commitId) throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build();
        RevWalk walk = new RevWalk(repository);
        TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(walk.parseCommit(repository.resolve(commitId)).getTree());
      tree.setRecursive(true);
      java.util.List<String> paths = new java.util.ArrayList<>();
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
      return paths;
    }
  }

  private static void write(Path workspace, String path, String content) throws IOException {
    Path file = workspace.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
