package dev.agentoperator.runner.workspace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRefNameException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the workspace into a git directory kept outside it ({@code <state>/snapshots.git}) and
 * puts the workspace back to an earlier commit.
 *
 * <p>The history is one append-only branch ({@code main}). The workspace's own {@code .git} (a
 * clone the user asked for) is never read or written, {@code .gitignore} files are respected, and
 * files over the size cap are left out with a note. The index stays in the snapshot git dir between
 * snapshots, so a snapshot reads only the files whose stat data changed. One writer at a time: all
 * operations are synchronized, and git's lock files keep a second process out.
 */
public final class Snapshotter implements AutoCloseable {

  /** The name and email of every snapshot commit's author and committer. */
  public static final String AUTHOR_NAME = "agent-runner";

  public static final String AUTHOR_EMAIL = "agent-runner@agentoperator.dev";

  private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
  private static final String BRANCH = Constants.R_HEADS + "main";
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,40}");

  private final Repository repository;
  private final Path gitDir;
  private final WorkspaceIndex index;
  private final Compaction compaction;
  private Integer count;
  private int commitsSinceCheck;

  /**
   * When the snapshot git dir is repacked: every {@code checkEvery} commits its objects are
   * counted, and a gc runs when loose objects or packs exceed the bounds. Every step that changed
   * files adds a few loose objects (blob, trees, commit) and a large step a pack; without a gc a
   * long session's lookups slow down and its volume fills with small files.
   */
  record Compaction(int checkEvery, long maxLooseObjects, long maxPacks) {
    static final Compaction DEFAULT = new Compaction(50, 2_000, 20);
  }

  private Snapshotter(
      Repository repository, Path gitDir, WorkspaceIndex index, Compaction compaction) {
    this.repository = repository;
    this.gitDir = gitDir;
    this.index = index;
    this.compaction = compaction;
  }

  /** Opens the snapshot git dir of these settings, creating it (and the workspace) if missing. */
  public static Snapshotter open(WorkspaceSettings settings) {
    return open(
        settings.workspaceDir(), settings.snapshotGitDir(), settings.snapshotMaxFileBytes());
  }

  /**
   * Opens {@code gitDir} with {@code workspaceDir} as its work tree, creating both if missing.
   * Files larger than {@code maxFileBytes} are left out of snapshots.
   */
  public static Snapshotter open(Path workspaceDir, Path gitDir, long maxFileBytes) {
    return open(
        workspaceDir, gitDir, maxFileBytes, WorkspaceIndex.ContentOpener.DIRECT, Compaction.DEFAULT);
  }

  /** As {@link #open(Path, Path, long)}, with how files are opened and when objects are packed. */
  static Snapshotter open(
      Path workspaceDir,
      Path gitDir,
      long maxFileBytes,
      WorkspaceIndex.ContentOpener opener,
      Compaction compaction) {
    Path workspace = workspaceDir.toAbsolutePath().normalize();
    Path git = gitDir.toAbsolutePath().normalize();
    if (git.startsWith(workspace)) {
      throw new IllegalArgumentException(
          "snapshot git dir " + git + " must lie outside the workspace " + workspace);
    }
    try {
      Files.createDirectories(workspace);
      if (!Files.isRegularFile(git.resolve(Constants.HEAD))) {
        create(workspace, git);
      }
      removeStaleLocks(git);
      Repository repository =
          new FileRepositoryBuilder()
              .setGitDir(git.toFile())
              .setWorkTree(workspace.toFile())
              .setMustExist(true)
              .build();
      return new Snapshotter(
          repository, git, new WorkspaceIndex(repository, maxFileBytes, opener), compaction);
    } catch (IOException e) {
      throw new SnapshotException(
          "cannot open the snapshot git dir " + git + ": " + e.getMessage(), e);
    }
  }

  /**
   * Commits the workspace if it differs from the latest snapshot.
   *
   * @param message the commit message, naming the run and step (see {@link SnapshotMessage})
   * @return the new snapshot, or empty when nothing changed
   */
  public synchronized Optional<Snapshot> snapshot(String message) {
    String commitMessage = message == null || message.isBlank() ? "snapshot\n" : message;
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      DirCache dirCache = repository.lockDirCache();
      WorkspaceIndex.SyncResult sync;
      ObjectId tree;
      try {
        sync = index.sync(dirCache, inserter);
        tree = dirCache.writeTree(inserter);
      } finally {
        dirCache.unlock();
      }
      Optional<RevCommit> parent = latestCommit();
      boolean unchanged =
          parent.isPresent() ? parent.get().getTree().equals(tree) : dirCache.getEntryCount() == 0;
      if (!sync.unreadable().isEmpty()) {
        LOG.warn(
            "snapshot left out {} unreadable file(s): {}",
            sync.unreadable().size(),
            sync.unreadable().subList(0, Math.min(5, sync.unreadable().size())));
      }
      if (unchanged) {
        return Optional.empty();
      }
      ObjectId commit = commit(inserter, tree, parent, commitMessage);
      LOG.debug("snapshot {} ({} files read)", commit.name(), sync.filesHashed());
      compactIfGrown();
      return Optional.of(new Snapshot(commit.name(), sync.skippedForSize(), sync.unreadable()));
    } catch (IOException e) {
      throw new SnapshotException(
          "cannot snapshot the workspace " + workTree() + " into " + gitDir + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Commits the workspace after a step; the one-line adapter for the agent loop is {@code
   * snapshot(run, step, text).map(Snapshot::commitId)}.
   */
  public Optional<Snapshot> snapshot(String runUid, int step, String text) {
    return snapshot(SnapshotMessage.of(runUid, step, text));
  }

  /**
   * Puts the workspace back to a snapshot: tracked files get that snapshot's content, files that
   * are not in it are removed, ignored files, files over the size cap and the workspace's own
   * {@code .git} are left alone. The history is not rewritten: the next snapshot records the
   * restored tree on top of the latest one.
   *
   * @param commit a full or abbreviated (at least 4 hex digits) snapshot commit id
   * @throws SnapshotNotFoundException when {@code commit} is malformed or not a snapshot here
   */
  public synchronized void restore(String commit) {
    RevCommit target = resolve(commit);
    try {
      DirCache dirCache = repository.lockDirCache();
      try {
        // The index must describe the workspace as it is now, so that files added since the
        // last snapshot count as tracked and are removed, while ignored files stay untracked.
        // Only in memory: their contents are not stored, so this index must never be written;
        // the checkout writes the restored one.
        index.syncInMemory(dirCache);
        DirCacheCheckout checkout =
            new DirCacheCheckout(
                repository, dirCache, target.getTree(), WorkspaceIndex.workTree(repository));
        checkout.setFailOnConflict(false);
        checkout.checkout();
      } finally {
        dirCache.unlock();
      }
    } catch (IOException e) {
      throw new SnapshotException(
          "cannot restore snapshot "
              + target.name()
              + " into "
              + workTree()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Repacks the snapshot git dir (a JGit gc: one pack, loose objects pruned) once it holds more
   * loose objects or packs than {@link Compaction} allows; checked every few commits. A failed gc
   * is logged: the snapshot it follows is already committed.
   */
  private void compactIfGrown() {
    if (++commitsSinceCheck < compaction.checkEvery()
        || !(repository instanceof FileRepository files)) {
      return;
    }
    commitsSinceCheck = 0;
    try {
      GC gc = new GC(files);
      GC.RepoStatistics before = gc.getStatistics();
      if (before.numberOfLooseObjects <= compaction.maxLooseObjects()
          && before.numberOfPackFiles <= compaction.maxPacks()) {
        return;
      }
      // nothing unreachable is worth keeping (snapshots only append), nor replaced packs: this
      // runner is the only reader of its snapshot git dir
      gc.setExpire(Instant.now());
      gc.setPackExpire(Instant.now());
      gc.gc().join();
      LOG.info(
          "repacked {}: {} loose objects and {} packs before",
          gitDir,
          before.numberOfLooseObjects,
          before.numberOfPackFiles);
    } catch (IOException | ParseException | GitAPIException | RuntimeException e) {
      LOG.warn("could not repack {}: {}", gitDir, e.toString());
    }
  }

  /** The number of snapshots on the branch. */
  public synchronized int count() {
    if (count == null) {
      count = countCommits();
    }
    return count;
  }

  /** The latest snapshot's commit id, or empty before the first snapshot. */
  public synchronized Optional<String> latest() {
    try {
      return latestCommit().map(RevCommit::name);
    } catch (IOException e) {
      throw new SnapshotException("cannot read the latest snapshot in " + gitDir, e);
    }
  }

  /** The snapshot git dir. */
  public Path gitDir() {
    return gitDir;
  }

  @Override
  public synchronized void close() {
    repository.close();
  }

  private ObjectId commit(
      ObjectInserter inserter, ObjectId tree, Optional<RevCommit> parent, String message)
      throws IOException {
    PersonIdent ident = new PersonIdent(AUTHOR_NAME, AUTHOR_EMAIL);
    CommitBuilder builder = new CommitBuilder();
    builder.setTreeId(tree);
    parent.ifPresent(builder::setParentId);
    builder.setAuthor(ident);
    builder.setCommitter(ident);
    builder.setMessage(message);
    ObjectId commit = inserter.insert(builder);
    inserter.flush();

    RefUpdate update = repository.updateRef(Constants.HEAD);
    update.setNewObjectId(commit);
    update.setExpectedOldObjectId(parent.<ObjectId>map(RevCommit::getId).orElse(ObjectId.zeroId()));
    update.setRefLogIdent(ident);
    update.setRefLogMessage("snapshot: " + firstLine(message), false);
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
      throw new IOException("could not move " + BRANCH + " to " + commit.name() + ": " + result);
    }
    if (count != null) {
      count++;
    }
    return commit;
  }

  private RevCommit resolve(String commit) {
    String wanted = commit == null ? "" : commit.strip();
    if (!COMMIT_ID.matcher(wanted).matches()) {
      throw new SnapshotNotFoundException(
          "snapshot '"
              + wanted
              + "' is not a commit id (4 to 40 hex digits), so it does not exist in "
              + gitDir);
    }
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(wanted);
      if (id == null) {
        throw notFound(wanted);
      }
      return walk.parseCommit(id);
    } catch (AmbiguousObjectException e) {
      throw new SnapshotNotFoundException(
          "snapshot " + wanted + " is ambiguous in " + gitDir + ": give more hex digits");
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      throw notFound(wanted);
    } catch (IOException e) {
      throw new SnapshotException("cannot read snapshot " + wanted + " in " + gitDir, e);
    }
  }

  private SnapshotNotFoundException notFound(String commit) {
    return new SnapshotNotFoundException("snapshot " + commit + " does not exist in " + gitDir);
  }

  private Optional<RevCommit> latestCommit() throws IOException {
    Ref head = repository.exactRef(Constants.HEAD);
    if (head == null || head.getObjectId() == null) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(repository)) {
      return Optional.of(walk.parseCommit(head.getObjectId()));
    }
  }

  private int countCommits() {
    try (RevWalk walk = new RevWalk(repository)) {
      Optional<RevCommit> latest = latestCommit();
      if (latest.isEmpty()) {
        return 0;
      }
      walk.setRetainBody(false);
      walk.markStart(walk.parseCommit(latest.get()));
      int commits = 0;
      while (walk.next() != null) {
        commits++;
      }
      return commits;
    } catch (IOException e) {
      throw new SnapshotException("cannot count the snapshots in " + gitDir, e);
    }
  }

  private Path workTree() {
    return repository.getWorkTree().toPath();
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static void create(Path workspace, Path git) throws IOException {
    try {
      createRepository(workspace, git);
    } catch (InvalidRefNameException e) {
      throw new IllegalStateException("the fixed branch name is valid", e);
    }
  }

  private static void createRepository(Path workspace, Path git)
      throws IOException, InvalidRefNameException {
    // Created bare, then given its work tree in the config: creating a non-bare repository with a
    // separate git dir writes a ".git" file into the work tree, which would point the agent's own
    // git commands at the snapshots.
    try (Repository created =
        new FileRepositoryBuilder().setGitDir(git.toFile()).setInitialBranch(BRANCH).build()) {
      created.create(true);
      StoredConfig config = created.getConfig();
      config.setBoolean(
          ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_BARE, false);
      config.setString(
          ConfigConstants.CONFIG_CORE_SECTION,
          null,
          ConfigConstants.CONFIG_KEY_WORKTREE,
          workspace.toString());
      // Snapshots store bytes as they are, whatever a user-level git config says.
      config.setBoolean(
          ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOCRLF, false);
      config.setBoolean(
          ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_SYMLINKS, true);
      config.setInt("gc", null, "auto", 0);
      config.setBoolean("commit", null, "gpgsign", false);
      config.save();
    }
    LOG.info("created snapshot git dir {} for workspace {}", git, workspace);
  }

  /** Lock files left by a runner that was killed mid-snapshot would block every later snapshot. */
  private static void removeStaleLocks(Path git) throws IOException {
    // Only one runner uses a workspace (one pod per session), so at open no lock can be live.
    for (Path lock :
        List.of(git.resolve("index.lock"), git.resolve("HEAD.lock"), git.resolve("config.lock"))) {
      if (Files.deleteIfExists(lock)) {
        LOG.warn("removed stale lock file {}", lock);
      }
    }
    Path heads = git.resolve("refs/heads");
    if (Files.isDirectory(heads)) {
      try (DirectoryStream<Path> locks = Files.newDirectoryStream(heads, "*.lock")) {
        for (Path lock : locks) {
          Files.deleteIfExists(lock);
          LOG.warn("removed stale lock file {}", lock);
        }
      }
    }
  }
}
