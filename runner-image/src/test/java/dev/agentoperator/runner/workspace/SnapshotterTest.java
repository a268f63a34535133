package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {

  @TempDir Path root;
  private Path workspace;
  private Path gitDir;
  private Snapshotter snapshotter;

  @BeforeEach
  void openSnapshotter() {
    workspace = root.resolve("workspace");
    gitDir = root.resolve("state/snapshots.git");
    snapshotter = Snapshotter.open(workspace, gitDir, 1024);
  }

  @AfterEach
  void closeSnapshotter() {
    snapshotter.close();
  }

  @Test
  void shouldCommitWorkspaceAfterAChange() throws IOException {
    // given
    write("README.md", "hello");
    write("src/Main.java", "class Main {}");

    // when
    Optional<Snapshot> snapshot =
        snapshotter.snapshot(SnapshotMessage.of("run-1", 3, "wrote files"));

    // then
    assertThat(snapshot).isPresent();
    assertThat(snapshot.get().commitId()).matches("[0-9a-f]{40}");
    assertThat(snapshot.get().skippedForSize()).isEmpty();
    assertThat(snapshotter.latest()).contains(snapshot.get().commitId());
    assertThat(snapshotter.count()).isEqualTo(1);
    assertThat(filesIn(snapshot.get().commitId())).containsExactly("README.md", "src/Main.java");
    RevCommit commit = commit(snapshot.get().commitId());
    assertThat(commit.getAuthorIdent().getName()).isEqualTo("agent-runner");
    assertThat(commit.getCommitterIdent().getEmailAddress()).isEqualTo(Snapshotter.AUTHOR_EMAIL);
    assertThat(commit.getFullMessage())
        .startsWith("run run-1 step 3\n\nwrote files")
        .contains("Run: run-1", "Step: 3");
  }

  @Test
  void shouldCommitAgainOnTopOfTheLatestWhenAFileChanges() throws IOException {
    // given
    write("a.txt", "one");
    String first = snapshotter.snapshot("first").orElseThrow().commitId();

    // when
    write("a.txt", "two");
    String second = snapshotter.snapshot("second").orElseThrow().commitId();

    // then
    assertThat(commit(second).getParent(0).name()).isEqualTo(first);
    assertThat(contentIn(second, "a.txt")).isEqualTo("two");
    assertThat(snapshotter.count()).isEqualTo(2);
  }

  @Test
  void shouldNotCommitWhenNothingChanged() throws IOException {
    // given
    write("a.txt", "one");
    String first = snapshotter.snapshot("first").orElseThrow().commitId();
    touch("a.txt", Instant.now().plusSeconds(5)); // a new mtime with equal content is no change

    // when
    Optional<Snapshot> again = snapshotter.snapshot("again");

    // then
    assertThat(again).isEmpty();
    assertThat(snapshotter.latest()).contains(first);
    assertThat(snapshotter.count()).isEqualTo(1);
  }

  @Test
  void shouldLeaveNoTraceOfTheSnapshotGitDirInTheWorkspace() throws IOException {
    write("a.txt", "a");
    snapshotter.snapshot("s").orElseThrow();

    try (var entries = Files.list(workspace)) {
      assertThat(entries).containsExactly(workspace.resolve("a.txt"));
    }
  }

  @Test
  void shouldNotCommitAnEmptyWorkspace() {
    assertThat(snapshotter.snapshot("empty")).isEmpty();
    assertThat(snapshotter.latest()).isEmpty();
    assertThat(snapshotter.count()).isZero();
  }

  @Test
  void shouldRecordDeletedFiles() throws IOException {
    // given
    write("keep.txt", "k");
    write("gone/old.txt", "o");
    snapshotter.snapshot("first").orElseThrow();

    // when
    Files.delete(workspace.resolve("gone/old.txt"));
    String second = snapshotter.snapshot("second").orElseThrow().commitId();

    // then
    assertThat(filesIn(second)).containsExactly("keep.txt");
  }

  @Test
  void shouldRespectGitignoreFilesIncludingNestedOnes() throws IOException {
    // given
    write(".gitignore", "build/\n*.log\n");
    write("app/.gitignore", "secret.txt\n");
    write("app/main.py", "print(1)");
    write("app/secret.txt", "token");
    write("build/out.bin", "x");
    write("debug.log", "x");

    // when
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();

    // then
    assertThat(filesIn(commit)).containsExactly(".gitignore", "app/.gitignore", "app/main.py");
  }

  @Test
  void shouldExcludeAndNeverTouchTheWorkspacesOwnGitDirectory() throws Exception {
    // given a workspace that is a clone of the user's repository
    try (Git userRepo =
        Git.init().setDirectory(workspace.toFile()).setInitialBranch("main").call()) {
      write("code.txt", "v1");
      userRepo.add().addFilepattern("code.txt").call();
      userRepo.commit().setMessage("user commit").setSign(false).call();
    }
    Path userGit = workspace.resolve(".git");
    List<String> userGitBefore = listing(userGit);

    // when
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    write("code.txt", "v2");
    snapshotter.snapshot("s2").orElseThrow();
    snapshotter.restore(commit);

    // then
    assertThat(filesIn(commit)).containsExactly("code.txt");
    assertThat(listing(userGit)).isEqualTo(userGitBefore);
    try (Git userRepo = Git.open(workspace.toFile())) {
      assertThat(userRepo.log().call())
          .extracting(RevCommit::getShortMessage)
          .containsExactly("user commit");
    }
  }

  @Test
  void shouldIncludeFilesOfANestedCloneButNotItsGitDirectory() throws Exception {
    // given
    try (Git nested = Git.init().setDirectory(workspace.resolve("vendor/lib").toFile()).call()) {
      write("vendor/lib/lib.c", "int x;");
    }

    // when
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();

    // then
    assertThat(filesIn(commit)).containsExactly("vendor/lib/lib.c");
  }

  @Test
  void shouldRestoreFilesOfANestedCloneAndLeaveItsGitDirectoryAlone() throws Exception {
    // given
    try (Git nested = Git.init().setDirectory(workspace.resolve("vendor/lib").toFile()).call()) {
      write("vendor/lib/lib.c", "int x;");
    }
    List<String> nestedGitBefore = listing(workspace.resolve("vendor/lib/.git"));
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    write("vendor/lib/lib.c", "int y;");
    write("vendor/lib/extra.c", "int z;");

    // when
    snapshotter.restore(commit);

    // then
    assertThat(read("vendor/lib/lib.c")).isEqualTo("int x;");
    assertThat(workspace.resolve("vendor/lib/extra.c")).doesNotExist();
    assertThat(listing(workspace.resolve("vendor/lib/.git"))).isEqualTo(nestedGitBefore);
  }

  @Test
  void shouldStoreASymlinkAsALinkNotTheFileItPointsTo() throws IOException {
    // given a link leading outside the workspace
    Path outside = Files.writeString(root.resolve("outside-secret.txt"), "do not copy me");
    Files.createSymbolicLink(workspace.resolve("link"), outside);

    // when
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    Files.delete(workspace.resolve("link"));
    snapshotter.restore(commit);

    // then
    assertThat(contentIn(commit, "link")).isEqualTo(outside.toString());
    assertThat(Files.isSymbolicLink(workspace.resolve("link"))).isTrue();
    assertThat(Files.readSymbolicLink(workspace.resolve("link"))).isEqualTo(outside);
  }

  @Test
  void shouldNotWriteThroughADirectorySymlinkTheAgentPlantedBeforeARestore() throws IOException {
    // given a snapshot with evil/x, then the agent swaps evil/ for a link to the runner's state
    write("evil/x", "planted");
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    Path state = Files.createDirectories(root.resolve("state-outside"));
    Files.delete(workspace.resolve("evil/x"));
    Files.delete(workspace.resolve("evil"));
    Files.createSymbolicLink(workspace.resolve("evil"), state);

    // when
    snapshotter.restore(commit);

    // then nothing lands outside the workspace, and the workspace holds the snapshot's tree
    try (Stream<Path> outside = Files.list(state)) {
      assertThat(outside).isEmpty();
    }
    assertThat(Files.isSymbolicLink(workspace.resolve("evil"))).isFalse();
    assertThat(read("evil/x")).isEqualTo("planted");
  }

  @Test
  void shouldRestoreADirectoryThatWasReplacedByAFile() throws IOException {
    // given
    write("x/a.txt", "a");
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    Files.delete(workspace.resolve("x/a.txt"));
    Files.delete(workspace.resolve("x"));
    write("x", "now a file");

    // when
    snapshotter.restore(commit);

    // then
    assertThat(read("x/a.txt")).isEqualTo("a");
  }

  @Test
  void shouldRestoreTheExecutableBit() throws IOException {
    // given
    write("run.sh", "echo hi");
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    Files.setPosixFilePermissions(
        workspace.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(snapshotter.snapshot("mode changed")).isPresent();

    // when
    snapshotter.restore(commit);

    // then
    assertThat(Files.isExecutable(workspace.resolve("run.sh"))).isFalse();
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void shouldSkipANamedPipeInsteadOfBlockingOnIt() throws Exception {
    // given a FIFO with no writer: opening it for reading would block forever
    write("a.txt", "a");
    Process mkfifo = new ProcessBuilder("mkfifo", workspace.resolve("pipe").toString()).start();
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");

    // when
    String commit = snapshotter.snapshot("s").orElseThrow().commitId();
    snapshotter.restore(commit);

    // then
    assertThat(filesIn(commit)).containsExactly("a.txt");
    assertThat(workspace.resolve("pipe")).exists();
  }

  @Test
  void shouldSkipFilesOverTheSizeCapWithANote() throws IOException {
    // given (the cap is 1024 bytes in this test)
    write("small.txt", "s");
    Files.write(workspace.resolve("big.bin"), new byte[2048]);

    // when
    Snapshot snapshot = snapshotter.snapshot("s").orElseThrow();

    // then
    assertThat(filesIn(snapshot.commitId())).containsExactly("small.txt");
    assertThat(snapshot.skippedForSize()).containsExactly(new SkippedFile("big.bin", 2048));
    assertThat(snapshot.note()).isEqualTo("skipped 1 file over the size cap: big.bin (2 KiB)");
  }

  @Test
  void shouldDropAFileFromSnapshotsOnceItGrowsOverTheCap() throws IOException {
    // given
    write("grows.txt", "small");
    snapshotter.snapshot("s1").orElseThrow();

    // when
    Files.write(workspace.resolve("grows.txt"), new byte[4096]);
    Snapshot second = snapshotter.snapshot("s2").orElseThrow();

    // then
    assertThat(filesIn(second.commitId())).isEmpty();
    assertThat(second.skippedForSize()).extracting(SkippedFile::path).containsExactly("grows.txt");
  }

  @Test
  void shouldReadOnlyChangedFilesWhenStatDataIsUnchanged() throws IOException {
    // given 50 files written a while ago, as after earlier steps
    Instant earlier = Instant.now().minusSeconds(60);
    for (int i = 0; i < 50; i++) {
      write("f" + i + ".txt", "content " + i);
      touch("f" + i + ".txt", earlier);
    }
    try (Repository repository = openRepository()) {
      WorkspaceIndex index = new WorkspaceIndex(repository, 1024);
      assertThat(sync(repository, index).filesHashed()).isEqualTo(50);

      // when one file changes (and its mtime is old enough that git need not suspect it as racy)
      write("f7.txt", "changed");
      touch("f7.txt", earlier.plusSeconds(1));
      WorkspaceIndex.SyncResult second = sync(repository, index);

      // then only that file is read
      assertThat(second.filesHashed()).isEqualTo(1);
      assertThat(sync(repository, index).filesHashed()).isZero();
    }
  }

  @Test
  void shouldStoreALargeBatchOfFilesInOnePackAndRestoreThem() throws IOException {
    // given more new files than are worth storing as loose objects
    int files = BlobWriter.LOOSE_LIMIT + 50;
    for (int i = 0; i < files; i++) {
      write("gen/file" + i + ".txt", "generated " + i);
    }

    // when
    String commit = snapshotter.snapshot("bulk").orElseThrow().commitId();
    for (int i = 0; i < files; i++) {
      write("gen/file" + i + ".txt", "overwritten");
    }
    snapshotter.restore(commit);

    // then
    try (var packs = Files.list(gitDir.resolve("objects/pack"))) {
      assertThat(packs.filter(p -> p.toString().endsWith(".pack"))).hasSize(1);
    }
    assertThat(filesIn(commit)).hasSize(files);
    assertThat(read("gen/file0.txt")).isEqualTo("generated 0");
    assertThat(read("gen/file" + (files - 1) + ".txt")).isEqualTo("generated " + (files - 1));
  }

  @Test
  void shouldStoreAFewChangedFilesAsLooseObjects() throws IOException {
    write("a.txt", "a");

    snapshotter.snapshot("small").orElseThrow();

    try (var packs = Files.list(gitDir.resolve("objects/pack"))) {
      assertThat(packs).isEmpty();
    }
  }

  @Test
  void shouldRestoreAnEarlierSnapshot() throws IOException {
    // given
    write(".gitignore", "*.tmp\n");
    write("a.txt", "first");
    write("dir/b.txt", "b");
    String first = snapshotter.snapshot("s1").orElseThrow().commitId();
    write("a.txt", "second");
    write("added.txt", "added in a later snapshot");
    snapshotter.snapshot("s2").orElseThrow();
    write("unsnapshotted/new.txt", "added after the last snapshot");
    write("scratch.tmp", "ignored");
    Files.delete(workspace.resolve("dir/b.txt"));

    // when
    snapshotter.restore(first);

    // then
    assertThat(read("a.txt")).isEqualTo("first");
    assertThat(read("dir/b.txt")).isEqualTo("b");
    assertThat(workspace.resolve("added.txt")).doesNotExist();
    assertThat(workspace.resolve("unsnapshotted")).doesNotExist();
    assertThat(read("scratch.tmp")).isEqualTo("ignored");
    assertThat(snapshotter.count()).isEqualTo(2);
  }

  @Test
  void shouldRecordTheRestoredTreeAsTheNextSnapshot() throws IOException {
    // given
    write("a.txt", "first");
    String first = snapshotter.snapshot("s1").orElseThrow().commitId();
    write("a.txt", "second");
    String second = snapshotter.snapshot("s2").orElseThrow().commitId();

    // when
    snapshotter.restore(first.substring(0, 12));
    String third = snapshotter.snapshot("after restore").orElseThrow().commitId();

    // then
    assertThat(commit(third).getParent(0).name()).isEqualTo(second);
    assertThat(commit(third).getTree()).isEqualTo(commit(first).getTree());
    assertThat(snapshotter.snapshot("nothing new")).isEmpty();
  }

  @Test
  void shouldKeepFilesOverTheCapOnRestoreBecauseNoSnapshotHoldsThem() throws IOException {
    // given
    write("a.txt", "a");
    String first = snapshotter.snapshot("s1").orElseThrow().commitId();
    Files.write(workspace.resolve("big.bin"), new byte[4096]);

    // when
    snapshotter.restore(first);

    // then
    assertThat(workspace.resolve("big.bin")).hasSize(4096);
  }

  @Test
  void shouldRefuseAnUnknownCommitWithAClearMessage() throws IOException {
    // given
    write("a.txt", "a");
    snapshotter.snapshot("s1").orElseThrow();

    // when / then
    assertThatThrownBy(() -> snapshotter.restore("abc123"))
        .isInstanceOf(SnapshotNotFoundException.class)
        .hasMessage("snapshot abc123 does not exist in " + gitDir);
    assertThatThrownBy(() -> snapshotter.restore(ObjectId.zeroId().name()))
        .isInstanceOf(SnapshotNotFoundException.class)
        .hasMessageContaining("does not exist in " + gitDir);
    assertThat(read("a.txt")).isEqualTo("a");
  }

  @Test
  void shouldRefuseAMalformedCommitWithAClearMessage() throws IOException {
    write("a.txt", "a");
    assertThatThrownBy(() -> snapshotter.restore("HEAD~1; rm -rf /"))
        .isInstanceOf(SnapshotNotFoundException.class)
        .hasMessage(
            "snapshot 'HEAD~1; rm -rf /' is not a commit id (4 to 40 hex digits), so it does not"
                + " exist in "
                + gitDir);
    assertThat(read("a.txt")).isEqualTo("a");
  }

  @Test
  void shouldRefuseAnObjectThatIsNotACommit() throws Exception {
    // given
    write("a.txt", "a");
    String commit = snapshotter.snapshot("s1").orElseThrow().commitId();
    String tree = commit(commit).getTree().name();

    // when / then
    assertThatThrownBy(() -> snapshotter.restore(tree))
        .isInstanceOf(SnapshotNotFoundException.class)
        .hasMessage("snapshot " + tree + " does not exist in " + gitDir);
  }

  @Test
  void shouldRefuseAGitDirInsideTheWorkspace() {
    assertThatThrownBy(() -> Snapshotter.open(workspace, workspace.resolve("state/x.git"), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must lie outside the workspace");
  }

  @Test
  void shouldKeepHistoryWhenReopened() throws IOException {
    // given
    write("a.txt", "a");
    String first = snapshotter.snapshot("s1").orElseThrow().commitId();
    snapshotter.close();

    // when
    snapshotter = Snapshotter.open(workspace, gitDir, 1024);

    // then
    assertThat(snapshotter.latest()).contains(first);
    assertThat(snapshotter.count()).isEqualTo(1);
    assertThat(snapshotter.snapshot("unchanged")).isEmpty();
  }

  @Test
  void shouldRecoverFromAStaleIndexLockLeftByAKilledRunner() throws IOException {
    // given
    write("a.txt", "a");
    snapshotter.snapshot("s1").orElseThrow();
    snapshotter.close();
    Files.writeString(gitDir.resolve("index.lock"), "");

    // when
    snapshotter = Snapshotter.open(workspace, gitDir, 1024);
    write("a.txt", "b");

    // then
    assertThat(snapshotter.snapshot("s2")).isPresent();
  }

  @Test
  void shouldSerialiseConcurrentSnapshots() throws Exception {
    // given
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<Optional<Snapshot>>> writers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      writers.add(
          () -> {
            write("file" + n + ".txt", "x" + n);
            return snapshotter.snapshot("writer " + n);
          });
    }

    // when
    List<Future<Optional<Snapshot>>> results = pool.invokeAll(writers);
    pool.shutdown();

    // then every call finished without a lock failure, and the last snapshot has every file
    for (Future<Optional<Snapshot>> result : results) {
      result.get();
    }
    Optional<Snapshot> last = snapshotter.snapshot("final");
    String latest =
        last.map(Snapshot::commitId).orElseGet(() -> snapshotter.latest().orElseThrow());
    assertThat(filesIn(latest)).hasSize(8);
    assertThat(snapshotter.count()).isBetween(1, 9);
  }

  private WorkspaceIndex.SyncResult sync(Repository repository, WorkspaceIndex index)
      throws IOException {
    var dirCache = repository.lockDirCache();
    try (var inserter = repository.newObjectInserter()) {
      return index.sync(dirCache, inserter);
    } finally {
      dirCache.unlock();
    }
  }

  private Repository openRepository() throws IOException {
    return new FileRepositoryBuilder()
        .setGitDir(gitDir.toFile())
        .setWorkTree(workspace.toFile())
        .setMustExist(true)
        .build();
  }

  private RevCommit commit(String id) throws IOException {
    try (Repository repository = openRepository();
        RevWalk walk = new RevWalk(repository)) {
      return walk.parseCommit(ObjectId.fromString(id));
    }
  }

  private List<String> filesIn(String commitId) throws IOException {
    try (Repository repository = openRepository();
        RevWalk walk = new RevWalk(repository);
        TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(commitId)).getTree());
      tree.setRecursive(true);
      List<String> paths = new ArrayList<>();
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
      return paths;
    }
  }

  private String contentIn(String commitId, String path) throws IOException {
    try (Repository repository = openRepository();
        RevWalk walk = new RevWalk(repository)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(commitId));
      try (TreeWalk tree = TreeWalk.forPath(repository, path, commit.getTree())) {
        return new String(repository.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private List<String> listing(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(
              file -> {
                try {
                  return dir.relativize(file)
                      + " "
                      + Files.size(file)
                      + " "
                      + Files.getLastModifiedTime(file).toMillis();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .sorted()
          .toList();
    }
  }

  private void write(String path, String content) throws IOException {
    Path file = workspace.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void touch(String path, Instant time) throws IOException {
    Files.setLastModifiedTime(workspace.resolve(path), FileTime.from(time));
  }

  private String read(String path) throws IOException {
    return Files.readString(workspace.resolve(path));
  }
}
