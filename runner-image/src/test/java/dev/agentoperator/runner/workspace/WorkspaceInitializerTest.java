package dev.agentoperator.runner.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceInitializerTest {

  @TempDir Path root;
  private Path source;
  private Path workspace;
  private Path state;
  private RevCommit tagged;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeEach
  void createSourceRepository() throws Exception {
    // main: v1 (tagged v1.0) -> v2; feature: v1 -> feature.txt
    source = root.resolve("source");
    workspace = root.resolve("volume/workspace");
    state = root.resolve("volume/state");
    try (Git git = Git.init().setDirectory(source.toFile()).setInitialBranch("main").call()) {
      tagged = commit(git, "version.txt", "1", "v1");
      git.tag()
          .setName("v1.0")
          .setAnnotated(true)
          .setMessage("release 1.0")
          .setSigned(false)
          .call();
      git.branchCreate().setName("feature").call();
      commit(git, "version.txt", "2", "v2");
      git.checkout().setName("feature").call();
      commit(git, "feature.txt", "new feature", "feature");
      git.checkout().setName("main").call();
    }
  }

  @Test
  void shouldCreateTheStateLayoutWithoutAGitSource() {
    // when
    int exit = run(env());

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace).isDirectory().isEmptyDirectory();
    assertThat(state.resolve("runs")).isDirectory();
    assertThat(state.resolve("snapshots.git/HEAD")).isRegularFile();
    assertThat(output()).contains("workspace is empty; no baseline snapshot");
  }

  @Test
  void shouldCloneTheDefaultBranch() throws IOException {
    // when
    int exit = run(env("AGENT_GIT_URL", sourceUrl()));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("version.txt")).hasContent("2");
    assertThat(workspace.resolve("feature.txt")).doesNotExist();
    assertThat(branchOf(workspace)).isEqualTo("main");
  }

  @Test
  void shouldCloneABranch() throws IOException {
    // when
    int exit = run(env("AGENT_GIT_URL", sourceUrl(), "AGENT_GIT_REF", "feature"));

    // then
    assertThat(exit).as(output()).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("feature.txt")).hasContent("new feature");
    assertThat(workspace.resolve("version.txt")).hasContent("1");
    assertThat(branchOf(workspace)).isEqualTo("feature");
  }

  @Test
  void shouldCloneATag() throws IOException {
    // when
    int exit = run(env("AGENT_GIT_URL", sourceUrl(), "AGENT_GIT_REF", "v1.0"));

    // then
    assertThat(exit).as(output()).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("version.txt")).hasContent("1");
    assertThat(workspace.resolve("feature.txt")).doesNotExist();
    assertThat(headOf(workspace)).isEqualTo(tagged.name());
  }

  @Test
  void shouldCloneACommit() throws IOException {
    // when
    int exit =
        run(env("AGENT_GIT_URL", sourceUrl(), "AGENT_GIT_REF", tagged.name().substring(0, 10)));

    // then
    assertThat(exit).as(output()).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("version.txt")).hasContent("1");
    assertThat(headOf(workspace)).isEqualTo(tagged.name());
  }

  @Test
  void shouldFailOnAMissingRefAndLeaveTheWorkspaceEmptyForARetry() {
    // when
    int exit = run(env("AGENT_GIT_URL", sourceUrl(), "AGENT_GIT_REF", "no-such-branch"));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output()).contains("cannot clone", "no-such-branch");
    assertThat(workspace).isEmptyDirectory();
    assertThat(state.resolve(WorkspaceInitializer.CLONE_MARKER)).doesNotExist();
  }

  @Test
  void shouldRecordABaselineSnapshotOfTheClone() {
    // when
    run(env("AGENT_GIT_URL", sourceUrl()));

    // then
    try (Snapshotter snapshotter = Snapshotter.open(settings())) {
      assertThat(snapshotter.count()).isEqualTo(1);
    }
    assertThat(output()).contains("baseline snapshot");
  }

  @Test
  void shouldLeaveAPreparedWorkspaceAloneOnASecondRun() throws IOException {
    // given a cloned workspace the agent has since worked in
    Map<String, String> env = env("AGENT_GIT_URL", sourceUrl(), "AGENT_GIT_REF", "feature");
    assertThat(run(env)).isEqualTo(WorkspaceInitializer.OK);
    Files.writeString(workspace.resolve("version.txt"), "edited by the agent");
    Files.writeString(workspace.resolve("notes.md"), "new file");
    String headBefore = headOf(workspace);
    output.reset();

    // when
    int exit = run(env);

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("version.txt")).hasContent("edited by the agent");
    assertThat(workspace.resolve("notes.md")).hasContent("new file");
    assertThat(headOf(workspace)).isEqualTo(headBefore);
    assertThat(output()).contains("already holds a git repository; not cloning");
    try (Snapshotter snapshotter = Snapshotter.open(settings())) {
      assertThat(snapshotter.count()).isEqualTo(1);
    }
  }

  @Test
  void shouldCloneAgainAfterAnInterruptedClone() throws IOException {
    // given the debris of a clone killed halfway: a marker in the state dir and a partial .git
    Files.createDirectories(workspace.resolve(".git/objects"));
    Files.writeString(workspace.resolve("half-written.txt"), "partial");
    Files.createDirectories(state);
    Files.writeString(state.resolve(WorkspaceInitializer.CLONE_MARKER), sourceUrl());

    // when
    int exit = run(env("AGENT_GIT_URL", sourceUrl()));

    // then
    assertThat(exit).as(output()).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("version.txt")).hasContent("2");
    assertThat(workspace.resolve("half-written.txt")).doesNotExist();
    assertThat(state.resolve(WorkspaceInitializer.CLONE_MARKER)).doesNotExist();
    assertThat(output()).contains("an earlier clone was interrupted");
  }

  @Test
  void shouldNotCloneOverFilesOfANonEmptyWorkspace() throws IOException {
    // given
    Files.createDirectories(workspace);
    Files.writeString(workspace.resolve("mine.txt"), "keep");

    // when
    int exit = run(env("AGENT_GIT_URL", sourceUrl()));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.OK);
    assertThat(workspace.resolve("mine.txt")).hasContent("keep");
    assertThat(workspace.resolve("version.txt")).doesNotExist();
    assertThat(output()).contains("is not empty; not cloning");
  }

  @Test
  void shouldRejectArguments() {
    assertThat(WorkspaceInitializer.run(env(), List.of("--force"), printStream()))
        .isEqualTo(WorkspaceInitializer.USAGE);
    assertThat(output()).startsWith("usage: agent-runner init-workspace");
  }

  @Test
  void shouldReportABadSizeCapByItsVariableName() {
    assertThat(run(env("AGENT_SNAPSHOT_MAX_FILE_BYTES", "ten megabytes")))
        .isEqualTo(WorkspaceInitializer.USAGE);
    assertThat(output()).contains("AGENT_SNAPSHOT_MAX_FILE_BYTES must be a whole number of bytes");
  }

  @Test
  void shouldMakeTheWorkspaceItCreatesWritableForTheSandboxGroupWhateverTheUmask() throws IOException {
    // given: a workspace made 0755 by an earlier start (umask 022), owned by this process
    Files.createDirectories(workspace, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    // when
    int exit = run(env());

    // then
    assertThat(exit).as(output()).isEqualTo(WorkspaceInitializer.OK);
    assertThat(Files.getPosixFilePermissions(workspace))
        .contains(PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE);
  }

  @Test
  void shouldFailLoudlyWhenTheRuntimeCreatedTheWorkspaceAsAnotherUserWithMode0755()
      throws IOException {
    // given: what a container runtime leaves for a WORKDIR inside an empty volume: the directory
    // belongs to someone else (root) with mode 0755; the runner and the sandbox's group differ
    Files.createDirectories(workspace, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    int owner = (Integer) Files.getAttribute(workspace, "unix:uid");
    int group = (Integer) Files.getAttribute(workspace, "unix:gid");
    Path terminationLog = Files.createFile(root.resolve("termination-log"));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();

    // when
    int exit =
        WorkspaceInitializer.run(
            env(TerminationLog.PATH_ENV, terminationLog.toString()),
            List.of(),
            printStream(),
            new PrintStream(errors, true, StandardCharsets.UTF_8),
            new WorkspaceAccess(owner + 1000, Set.of(group + 1000), OptionalInt.empty()));

    // then
    String reason = errors.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(reason)
        .contains(
            "the workspace " + workspace + " is owned by uid " + owner + ", gid " + group,
            "rwxr-xr-x",
            "neither the runner (uid "
                + (owner + 1000)
                + ") nor the sandbox (the directory's group) can write it");
    assertThat(terminationLog).hasContent(reason.strip());
    assertThat(output()).doesNotContain("ready");
    assertThat(state.resolve("snapshots.git")).doesNotExist();
  }

  @Test
  void shouldFailWhenTheSandboxGroupCannotWriteTheWorkspace() throws IOException {
    // given: the runner owns the workspace, but its group is not the sandbox's
    Files.createDirectories(workspace);
    int owner = (Integer) Files.getAttribute(workspace, "unix:uid");
    int group = (Integer) Files.getAttribute(workspace, "unix:gid");
    Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxr-x"));

    // when
    int exit =
        WorkspaceInitializer.run(
            env(),
            List.of(),
            printStream(),
            printStream(),
            new WorkspaceAccess(owner, Set.of(group), OptionalInt.of(group + 1000)));

    // then
    assertThat(exit).isEqualTo(WorkspaceInitializer.FAILED);
    assertThat(output()).contains("the sandbox (group " + (group + 1000) + ") cannot write it");
  }

  @Test
  void shouldAcceptAGroupWritableWorkspaceOfAnotherGroupWhenTheSandboxGroupIsNotKnown()
      throws IOException {
    // given: a local runtime that maps the pod's fsGroup to another id: the runner owns the
    // workspace, whose group (not the runner's) has rwx
    Files.createDirectories(workspace);
    int owner = (Integer) Files.getAttribute(workspace, "unix:uid");
    int group = (Integer) Files.getAttribute(workspace, "unix:gid");
    Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxr-x"));

    // when
    int exit =
        WorkspaceInitializer.run(
            env(),
            List.of(),
            printStream(),
            printStream(),
            new WorkspaceAccess(owner, Set.of(group + 1000), OptionalInt.empty()));

    // then
    assertThat(exit).as(output()).isEqualTo(WorkspaceInitializer.OK);
  }

  private int run(Map<String, String> env) {
    return WorkspaceInitializer.run(env, List.of(), printStream());
  }

  private PrintStream printStream() {
    return new PrintStream(output, true, StandardCharsets.UTF_8);
  }

  private String output() {
    return output.toString(StandardCharsets.UTF_8);
  }

  private WorkspaceSettings settings() {
    return new WorkspaceSettings(workspace, state);
  }

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENT_WORKSPACE_DIR", workspace.toString());
    env.put("AGENT_STATE_DIR", state.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private String sourceUrl() {
    return source.toUri().toString();
  }

  private static RevCommit commit(Git git, String path, String content, String message)
      throws Exception {
    Files.writeString(git.getRepository().getWorkTree().toPath().resolve(path), content);
    git.add().addFilepattern(path).call();
    return git.commit().setMessage(message).setSign(false).call();
  }

  private static String branchOf(Path repository) throws IOException {
    try (Git git = Git.open(repository.toFile())) {
      return git.getRepository().getBranch();
    }
  }

  private static String headOf(Path repository) throws IOException {
    try (Git git = Git.open(repository.toFile())) {
      return git.getRepository().resolve(Constants.HEAD).name();
    }
  }
}
