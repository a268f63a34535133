package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eCluster.NS;
import static dev.agentoperator.operator.dev.ScriptedModel.Turn.call;
import static dev.agentoperator.operator.dev.ScriptedModel.Turn.say;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.GitSource;
import dev.agentoperator.operator.api.v1alpha1.WorkspaceSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in {@code examples/} applied to the local cluster, with real runner processes: the
 * replay examples as they are, the real-model ones against a scripted OpenAI-compatible model
 * and a local git origin (CI has no model key and no network).
 */
class ExamplesE2eTest {

  private static final Path EXAMPLES = Path.of("..", "examples");

  /** Each example and the test that proves it reaches its expected terminal phase. */
  private static final Map<String, String> EXPECTATIONS = Map.of(
      "quickstart.yaml", "shouldSucceedWithTheQuickstart: quickstart Succeeded",
      "run-replay.yaml", "shouldSucceedWithTheReplayExample: hello-replay Succeeded",
      "session-git-openai.yaml", "shouldRunTheRealModelExamples: session webapp serves both runs",
      "run-in-session.yaml", "shouldRunTheRealModelExamples: add-readme-section Succeeded",
      "run-approval.yaml",
      "shouldRunTheRealModelExamples: release-notes AwaitingApproval, approved, Succeeded");

  private static E2eCluster cluster;

  @TempDir static Path git;

  @BeforeAll
  static void start() {
    cluster = E2eCluster.start("examples");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldHaveAnExpectationForEveryExample() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("every example needs an expectation in ExamplesE2eTest")
          .containsExactlyInAnyOrderElementsOf(EXPECTATIONS.keySet());
    }
  }

  @Test
  void shouldSucceedWithTheQuickstart() throws Exception {
    cluster.apply(EXAMPLES.resolve("quickstart.yaml"), ModelOverrides.none());

    AgentRun run = cluster.awaitPhase("quickstart", AgentRunPhase.Succeeded);

    AgentRunStatus status = run.getStatus();
    assertThat(status.getSession()).isEqualTo("quickstart-session");
    assertThat(status.getSteps()).isEqualTo(5);
    assertThat(status.getToolCalls()).isEqualTo(4);
    assertThat(status.getAttempts()).isEqualTo(1);
    assertThat(status.getUsage().totalTokens())
        .isEqualTo(status.getUsage().inputTokens() + status.getUsage().outputTokens())
        .isPositive();
    assertThat(status.getResult().text()).contains("fizzbuzz.sh", "-le 15");
    assertThat(status.getCompletionTime()).isNotNull();
    assertSnapshotExists("quickstart-session", status.getSnapshot().commit());
    Path script = cluster.workspace("quickstart-session").resolve("fizzbuzz.sh");
    assertThat(Files.readString(script)).contains("while [ \"$i\" -le 15 ]; do");
  }

  @Test
  void shouldSucceedWithTheReplayExample() throws Exception {
    cluster.apply(EXAMPLES.resolve("run-replay.yaml"), ModelOverrides.none());

    AgentRun run = cluster.awaitPhase("hello-replay", AgentRunPhase.Succeeded);

    assertThat(run.getStatus().getSteps()).isEqualTo(3);
    assertThat(run.getStatus().getResult().text()).contains("hello.txt");
    assertSnapshotExists("hello-replay-session", run.getStatus().getSnapshot().commit());
    assertThat(cluster.workspace("hello-replay-session").resolve("hello.txt"))
        .hasContent("Hello from the agent");
  }

  @Test
  void shouldRunTheRealModelExamples() throws Exception {
    // given a scripted model standing in for OpenAI, the key's Secret, and a local origin
    try (ScriptedModel model = new ScriptedModel()) {
      model.script("Contributing",
          call("read_file", args("path", "README")),
          call("edit_file", args("path", "README", "old_string", "Hello World!\n",
              "new_string", "Hello World!\n\n## Contributing\n\nOpen a pull request.\n")),
          say("I added a Contributing section to README."));
      model.script("release notes",
          call("write_file", args("path", "CHANGELOG.md", "content",
              "# Changelog\n\n- A Contributing section in README.\n")),
          call("shell", args("command", "git checkout -b release-notes && git add CHANGELOG.md"
              + " && git -c user.name=Agent -c user.email=agent@example.com commit -q -m"
              + " 'Release notes'")),
          call("shell", args("command", "git push origin release-notes")),
          say("CHANGELOG.md is committed on release-notes and pushed to origin."));
      Path origin = originWithReadme();
      cluster.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
          .withName(DevCommand.OPENAI_SECRET).endMetadata()
          .addToStringData(DevCommand.OPENAI_SECRET_KEY, "sk-test-not-a-real-key").build())
          .create();
      ModelOverrides overrides = new ModelOverrides(Optional.of(model.baseUrl()), Optional.empty());
      ManifestApplier applier = new ManifestApplier(cluster.client(), overrides);
      List<HasMetadata> objects = new ArrayList<>(applier.read(List.of(
          EXAMPLES.resolve("session-git-openai.yaml"), EXAMPLES.resolve("run-in-session.yaml"),
          EXAMPLES.resolve("run-approval.yaml"))));
      objects.stream().filter(AgentSession.class::isInstance).map(AgentSession.class::cast)
          .forEach(s -> s.setSpec(withOrigin(s.getSpec(), origin)));

      // when the session and both runs are applied
      applier.apply(objects);

      // then the first run edits README, the second asks before pushing
      AgentRun readme = cluster.awaitPhase("add-readme-section", AgentRunPhase.Succeeded);
      assertThat(readme.getStatus().getResult().text()).contains("Contributing");
      assertThat(cluster.workspace("webapp").resolve("README")).content()
          .contains("## Contributing");
      AgentRun waiting = cluster.awaitPhase("release-notes", AgentRunPhase.AwaitingApproval);
      assertThat(waiting.getStatus().getPendingApprovals()).singleElement()
          .satisfies(p -> assertThat(p.summary()).contains("git push origin release-notes"));
      assertThat(branch(origin, "release-notes")).isNull();

      // when the push is approved, it runs in the sandbox, and the run succeeds
      cluster.answer("release-notes", waiting.getStatus().getPendingApprovals().getFirst().id(),
          ApprovalDecision.approve, null);
      AgentRun released = cluster.awaitPhase("release-notes", AgentRunPhase.Succeeded);
      assertThat(released.getStatus().getPendingApprovals()).isEmpty();
      if (Bubblewrap.detect().isPresent()) {
        // The isolated sandbox sees its workspace only, not the origin's directory on this
        // machine (nor, in a pod, any credentials): publishing needs a runner-side git_push.
        assertThat(branch(origin, "release-notes")).isNull();
        assertThat(model.toolResultsSeen("release notes")).contains("fatal");
      } else {
        assertThat(branch(origin, "release-notes")).isNotNull();
      }
      assertThat(model.toolResultsSeen("release notes")).doesNotContain("sk-test-not-a-real-key");
    }
  }

  private static AgentSessionSpec withOrigin(AgentSessionSpec spec, Path origin) {
    GitSource git = spec.workspace().git();
    WorkspaceSpec workspace = new WorkspaceSpec(spec.workspace().size(),
        spec.workspace().storageClassName(),
        new GitSource("file://" + origin.toAbsolutePath(), git.ref(), git.credentialsSecretRef()));
    return new AgentSessionSpec(spec.model(), spec.systemPrompt(), workspace, spec.sandbox(),
        spec.tools(), spec.idleTimeout(), spec.suspend());
  }

  /** A bare repository like octocat/Hello-World: one README on master. */
  private static Path originWithReadme() throws Exception {
    Path work = git.resolve("seed");
    try (Git seed = Git.init().setDirectory(work.toFile()).setInitialBranch("master").call()) {
      Files.writeString(work.resolve("README"), "Hello World!\n");
      seed.add().addFilepattern("README").call();
      seed.commit().setMessage("First commit").setAuthor("Octocat", "octocat@example.com")
          .setCommitter("Octocat", "octocat@example.com").call();
    }
    Path bare = git.resolve("origin.git");
    Git.cloneRepository().setURI(work.toUri().toString()).setDirectory(bare.toFile())
        .setBare(true).call().close();
    return bare;
  }

  private static ObjectId branch(Path bare, String name) throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
      return repository.resolve("refs/heads/" + name);
    }
  }

  private static void assertSnapshotExists(String session, String commit) throws IOException {
    assertThat(commit).matches("[0-9a-f]{40}");
    Path snapshots = cluster.state(session).resolve("snapshots.git");
    try (Repository repository = new FileRepositoryBuilder().setGitDir(snapshots.toFile())
        .build()) {
      assertThat(repository.getObjectDatabase().has(ObjectId.fromString(commit)))
          .as("snapshot %s in %s", commit, snapshots).isTrue();
    }
  }
}
