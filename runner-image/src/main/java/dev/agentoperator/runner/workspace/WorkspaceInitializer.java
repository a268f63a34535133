package dev.agentoperator.runner.workspace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FileUtils;

/**
 * {@code agent-runner init-workspace}: prepares the pod's volume before the runner starts. Creates
 * the state layout ({@code runs/}, {@code snapshots.git}), clones the configured repository into an
 * empty workspace, and records a baseline snapshot. Running it again on a prepared volume changes
 * nothing: no re-clone, no reset. Options come from the environment ({@link InitWorkspaceOptions}).
 */
public final class WorkspaceInitializer {

  /** Exit codes of {@link #run}. */
  public static final int OK = 0;

  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** In the state dir while a clone is in progress: a workspace with it holds a partial clone. */
  static final String CLONE_MARKER = "clone-in-progress";

  private static final Set<PosixFilePermission> GROUP_RWX =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE);

  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{7,40}");

  private final InitWorkspaceOptions options;
  private final PrintStream out;
  private final SecretRedactor redactor;
  private final WorkspaceAccess access;

  public WorkspaceInitializer(
      InitWorkspaceOptions options, PrintStream out, WorkspaceAccess access) {
    this.options = options;
    this.out = out;
    this.access = access;
    this.redactor =
        new SecretRedactor(
            options
                .git()
                .flatMap(CloneSource::credentials)
                .map(c -> List.of(c.password()))
                .orElse(List.of()));
  }

  /** The command-line entry, printing progress and errors to {@code out}. */
  public static int run(Map<String, String> env, List<String> args, PrintStream out) {
    return run(env, args, out, out);
  }

  /**
   * The command-line entry: reads options from {@code env}, prints progress to {@code out} and the
   * reason of a failure (never credentials) to {@code err} and the container's termination log,
   * and returns the process exit code.
   */
  public static int run(
      Map<String, String> env, List<String> args, PrintStream out, PrintStream err) {
    WorkspaceAccess access;
    try {
      access = WorkspaceAccess.ofThisProcess(env);
    } catch (IllegalArgumentException e) {
      return fail(env, err, USAGE, e.getMessage());
    }
    return run(env, args, out, err, access);
  }

  /** As {@link #run(Map, List, PrintStream, PrintStream)}, for the given runner and sandbox ids. */
  static int run(
      Map<String, String> env,
      List<String> args,
      PrintStream out,
      PrintStream err,
      WorkspaceAccess access) {
    if (!args.isEmpty()) {
      return fail(
          env,
          err,
          USAGE,
          "usage: agent-runner init-workspace (configured by environment variables:"
              + " AGENT_WORKSPACE_DIR, AGENT_STATE_DIR, AGENT_GIT_URL, AGENT_GIT_REF,"
              + " AGENT_GIT_USERNAME, AGENT_GIT_PASSWORD, AGENT_GIT_CREDENTIALS_DIR)");
    }
    InitWorkspaceOptions options;
    try {
      options = InitWorkspaceOptions.fromEnv(env);
    } catch (RuntimeException e) {
      // The raw URL may carry a password, so even option errors go through the redactor.
      return fail(
          env,
          err,
          USAGE,
          "init-workspace: " + new SecretRedactor(secretsIn(env)).redact(e.getMessage()));
    }
    List<GitSkills.Skill> skills;
    try {
      skills = GitSkills.parse(env);
    } catch (RuntimeException e) {
      return fail(env, err, USAGE, "init-workspace: " + e.getMessage());
    }
    try {
      new WorkspaceInitializer(options, out, access).initialize();
      GitSkills.fetchAll(skills, out);
      return OK;
    } catch (WorkspaceInitException | SnapshotException e) {
      return fail(env, err, FAILED, "init-workspace: " + e.getMessage());
    }
  }

  /** Says why on {@code err} and in the termination log, so the pod's status shows it too. */
  private static int fail(Map<String, String> env, PrintStream err, int exit, String reason) {
    err.println(reason);
    TerminationLog.fromEnv(env).write(reason);
    return exit;
  }

  /** Prepares the volume; idempotent. */
  public void initialize() {
    WorkspaceSettings settings = options.settings();
    createDirectories(settings);
    shareWorkspaceWithTheSandbox(settings.workspaceDir());
    options.git().ifPresent(source -> cloneUnlessPrepared(settings, source));
    try (Snapshotter snapshotter = Snapshotter.open(settings)) {
      if (snapshotter.count() == 0) {
        Optional<Snapshot> baseline = snapshotter.snapshot("workspace baseline\n");
        baseline.ifPresentOrElse(
            snapshot -> {
              out.println("init-workspace: baseline snapshot " + snapshot.commitId());
              if (!snapshot.skippedForSize().isEmpty()) {
                out.println("init-workspace: " + snapshot.note());
              }
            },
            () -> out.println("init-workspace: workspace is empty; no baseline snapshot"));
      } else {
        out.println(
            "init-workspace: "
                + snapshotter.count()
                + " snapshots already in "
                + snapshotter.gitDir()
                + "; latest "
                + snapshotter.latest().orElseThrow());
      }
    }
    out.println(
        "init-workspace: ready: workspace "
            + settings.workspaceDir()
            + ", state "
            + settings.stateDir());
  }

  private void createDirectories(WorkspaceSettings settings) {
    for (Path dir : List.of(settings.workspaceDir(), settings.stateDir(), settings.runsDir())) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new WorkspaceInitException("cannot create " + dir + ": " + e);
      }
    }
  }

  /**
   * The sandbox writes the workspace through the group: a workspace this process owns gets group
   * rwx (whatever the umask was when it was made); then both must be able to write it, or the pod
   * would start with a workspace one of its containers cannot use and nobody would say why.
   */
  private void shareWorkspaceWithTheSandbox(Path workspace) {
    try {
      int owner = (Integer) Files.getAttribute(workspace, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> mode =
          Files.getPosixFilePermissions(workspace, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> shared = EnumSet.copyOf(mode);
      shared.addAll(GROUP_RWX);
      if (owner == access.runnerUid() && !mode.equals(shared)) {
        Files.setPosixFilePermissions(workspace, shared);
        out.println(
            "init-workspace: made "
                + workspace
                + " group-writable ("
                + PosixFilePermissions.toString(shared)
                + ")");
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new WorkspaceInitException("cannot read or set the mode of " + workspace + ": " + e);
    }
    access.requireWritableByBoth(workspace);
  }

  private void cloneUnlessPrepared(WorkspaceSettings settings, CloneSource source) {
    Path workspace = settings.workspaceDir();
    Path marker = settings.stateDir().resolve(CLONE_MARKER);
    String what =
        redactor.redact(source.url() + source.ref().map(r -> " (ref " + r + ")").orElse(""));
    if (Files.exists(marker)) {
      // The marker is written only into an empty workspace and removed once the clone is done, so
      // what is there now is the debris of a clone that was killed halfway.
      out.println("init-workspace: an earlier clone was interrupted; removing its partial files");
      emptyWorkspace(workspace);
    } else if (Files.exists(workspace.resolve(Constants.DOT_GIT))) {
      out.println(
          "init-workspace: " + workspace + " already holds a git repository; not cloning " + what);
      return;
    } else if (!isEmpty(workspace)) {
      out.println(
          "init-workspace: "
              + workspace
              + " is not empty; not cloning "
              + what
              + " over its files");
      return;
    }
    out.println("init-workspace: cloning " + what + " into " + workspace);
    try {
      Files.writeString(marker, source.url() + "\n");
      String checkedOut = cloneAndCheckout(workspace, source);
      Files.delete(marker);
      out.println("init-workspace: checked out " + checkedOut);
    } catch (GitAPIException | IOException | RuntimeException e) {
      String reason = redactor.redact(causes(e));
      emptyWorkspace(workspace);
      deleteQuietly(marker);
      throw new WorkspaceInitException(
          "cannot clone " + what + " into " + workspace + ": " + reason);
    }
  }

  /** Clones and checks out the ref; returns a description of what is checked out. */
  private String cloneAndCheckout(Path workspace, CloneSource source)
      throws GitAPIException, IOException {
    Optional<String> ref = source.ref();
    boolean maybeCommit = ref.isPresent() && COMMIT_ID.matcher(ref.get()).matches();
    CloneCommand clone =
        Git.cloneRepository()
            .setURI(source.url())
            .setDirectory(workspace.toFile())
            .setCloneAllBranches(true);
    source
        .credentials()
        .ifPresent(
            c ->
                clone.setCredentialsProvider(
                    new UsernamePasswordCredentialsProvider(c.username(), c.password())));
    if (ref.isPresent() && !maybeCommit) {
      clone.setBranch(ref.get());
    }
    try (Git git = clone.call()) {
      Repository repository = git.getRepository();
      if (ref.isEmpty()) {
        return "the default branch " + repository.getBranch();
      }
      ObjectId wanted = resolveRef(repository, ref.get());
      if (wanted == null) {
        throw new WorkspaceInitException("ref " + ref.get() + " not found in the repository");
      }
      ObjectId head = repository.resolve(Constants.HEAD + "^{commit}");
      if (!wanted.equals(head)) {
        git.checkout().setName(wanted.name()).call();
      }
      return ref.get() + " at " + wanted.name();
    }
  }

  /** The commit a branch, tag, full ref name or commit id names in a fresh clone, or null. */
  private static ObjectId resolveRef(Repository repository, String ref) throws IOException {
    List<String> candidates = new ArrayList<>();
    candidates.add(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + ref);
    candidates.add(Constants.R_TAGS + ref);
    if (ref.startsWith(Constants.R_REFS) || COMMIT_ID.matcher(ref).matches()) {
      candidates.add(ref);
    }
    for (String candidate : candidates) {
      try {
        ObjectId commit = repository.resolve(candidate + "^{commit}");
        if (commit != null) {
          return commit;
        }
      } catch (RevisionSyntaxException | AmbiguousObjectException e) {
        // not this form; try the next
      }
    }
    return null;
  }

  /** Removes a failed clone's files; the workspace was empty before, so nothing else is lost. */
  private void emptyWorkspace(Path workspace) {
    try (Stream<Path> children = Files.list(workspace)) {
      for (Path child : children.toList()) {
        FileUtils.delete(child.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
      }
    } catch (IOException e) {
      throw new WorkspaceInitException(
          "cannot remove the partial clone in " + workspace + ": " + e.getMessage());
    }
  }

  private void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      out.println("init-workspace: could not delete " + file + ": " + e.getMessage());
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      throw new WorkspaceInitException("cannot list " + dir + ": " + e);
    }
  }

  private static String causes(Throwable error) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = error; t != null && messages.size() < 4; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (messages.stream().noneMatch(m -> m.contains(message))) {
        messages.add(message);
      }
    }
    return String.join(": ", messages);
  }

  private static List<String> secretsIn(Map<String, String> env) {
    List<String> secrets = new ArrayList<>();
    Optional.ofNullable(env.get(InitWorkspaceOptions.GIT_PASSWORD_ENV)).ifPresent(secrets::add);
    return secrets;
  }
}
