package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.LocalClusterExtension.NS;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.GitSource;
import dev.agentoperator.operator.api.v1alpha1.PullRequestSpec;
import dev.agentoperator.operator.api.v1alpha1.WorkspaceSpec;
import dev.agentoperator.operator.dev.cli.DevCommand;
import dev.agentoperator.operator.dev.cli.ManifestApplier;
import dev.agentoperator.operator.dev.cli.ModelOverrides;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in {@code examples/} applied to the local cluster, with real runner processes: the
 * replay examples as they are, the real-model ones against a scripted OpenAI-compatible model
 * and a local git origin (CI has no model key and no network).
 */
class ExamplesE2eTest {

  private static final Path EXAMPLES = LocalClusterExtension.REPOSITORY.resolve("examples");

  /** Each example and the test that proves it reaches its expected terminal phase. */
  private static final Map<String, String> EXPECTATIONS = Map.of(
      "quickstart.yaml", "shouldSucceedWithTheQuickstart: quickstart Succeeded",
      "run-replay.yaml", "shouldSucceedWithTheReplayExample: hello-replay Succeeded",
      "run-question.yaml", "shouldAskAndUseTheAnswerInTheQuestionExample: ask-greeting Succeeded",
      "session-mcp.yaml", "shouldCallTheStdioMcpServerOfTheMcpExample: count-words Succeeded",
      "session-git-openai.yaml", "shouldRunTheRealModelExamples: session webapp serves both runs",
      "run-in-session.yaml", "shouldRunTheRealModelExamples: add-readme-section Succeeded",
      "run-approval.yaml",
      "shouldRunTheRealModelExamples: release-notes asks twice, git_push and a pull request, "
          + "Succeeded");

  @RegisterExtension
  static final LocalClusterExtension cluster = LocalClusterExtension.named("examples");

  @TempDir static Path git;

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
  void shouldAskAndUseTheAnswerInTheQuestionExample() throws Exception {
    cluster.apply(EXAMPLES.resolve("run-question.yaml"), ModelOverrides.none());
    AgentRun waiting = cluster.awaitPhase("ask-greeting", AgentRunPhase.AwaitingInput);
    var question = waiting.getStatus().getPendingQuestions().getFirst();

    cluster.answerQuestion("ask-greeting", question.id(), "formal");

    AgentRun run = cluster.awaitPhase("ask-greeting", AgentRunPhase.Succeeded);
    assertThat(question.question()).isEqualTo("Should the greeting be formal or casual?");
    assertThat(question.choices()).containsExactly("formal", "casual");
    assertThat(run.getStatus().getSteps()).isEqualTo(3);
    assertThat(cluster.workspace("ask-greeting-session").resolve("greeting.txt"))
        .hasContent("Good morning, dear reader.");
  }

  @Test
  void shouldCallTheStdioMcpServerOfTheMcpExample() throws Exception {
    cluster.apply(EXAMPLES.resolve("session-mcp.yaml"), ModelOverrides.none());

    AgentRun run = cluster.awaitPhase("count-words", AgentRunPhase.Succeeded, AgentRunPhase.Failed);

    // The cassette's expectToolResult checks make the replay fail unless the skill loaded and
    // the MCP server, started in the sandbox, answered "5 words".
    assertThat(run.getStatus().getPhase())
        .as("message: %s", run.getStatus().getMessage())
        .isEqualTo(AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getSteps()).isEqualTo(3);
    assertThat(run.getStatus().getToolCalls()).isEqualTo(2);
    assertThat(run.getStatus().getResult().text()).contains("5 words");
  }

  @Test
  void shouldRunTheRealModelExamples() throws Exception {
    // The origin is a file:// path of this machine and the forge listens on its loopback: a
    // host-process runner reaches both, a runner in a real container neither (not done yet).
    assumeTrue(LocalClusterExtension.RUNTIME == RuntimeKind.BWRAP,
        "the publish example's origin and forge are host-side fixtures: bwrap runtime only");
    // given a scripted model standing in for OpenAI, the key's Secret, a local origin for the
    // push and a scripted forge API for the pull request
    try (ScriptedModel model = new ScriptedModel(); MockWebServer forge = new MockWebServer()) {
      forge.enqueue(json(200, "[]"));
      forge.enqueue(json(201, "{\"number\":1,\"html_url\":"
          + "\"https://github.com/octocat/Hello-World/pull/1\"}"));
      forge.start(InetAddress.getLoopbackAddress(), 0);
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
          call("git_push", args("branch", "release-notes")),
          call("open_pull_request", args("title", "Release notes", "body",
              "CHANGELOG.md for the commits since the last tag.", "branch", "release-notes")),
          say("CHANGELOG.md is on release-notes, pushed, with a pull request open."));
      Path origin = originWithReadme();
      createSecret(DevCommand.OPENAI_SECRET, DevCommand.OPENAI_SECRET_KEY,
          "sk-test-not-a-real-key");
      createSecret("github-push", "password", PUSH_PASSWORD);
      createSecret("github-api", "token", FORGE_TOKEN);
      ModelOverrides overrides = new ModelOverrides(Optional.of(model.baseUrl()), Optional.empty());
      ManifestApplier applier = new ManifestApplier(cluster.client(), overrides);
      List<HasMetadata> objects = new ArrayList<>(applier.read(List.of(
          EXAMPLES.resolve("session-git-openai.yaml"), EXAMPLES.resolve("run-in-session.yaml"),
          EXAMPLES.resolve("run-approval.yaml"))));
      objects.stream().filter(AgentSession.class::isInstance).map(AgentSession.class::cast)
          .forEach(s -> s.setSpec(withOrigin(s.getSpec(), origin, forge.url("/").toString())));

      // when the session and both runs are applied
      applier.apply(objects);

      // then the first run edits README, the second asks before publishing
      AgentRun readme = cluster.awaitPhase("add-readme-section", AgentRunPhase.Succeeded);
      assertThat(readme.getStatus().getResult().text()).contains("Contributing");
      assertThat(cluster.workspace("webapp").resolve("README")).content()
          .contains("## Contributing");
      AgentRun waiting = cluster.awaitPhase("release-notes", AgentRunPhase.AwaitingApproval);
      ObjectId committed = localBranch(cluster.workspace("webapp"), "release-notes");
      assertThat(waiting.getStatus().getPendingApprovals()).singleElement()
          .satisfies(p -> assertThat(p.summary())
              .contains("git_push", "release-notes", committed.name().substring(0, 12)));
      assertThat(branch(origin, "release-notes")).isNull();

      // when the push is approved, the runner pushes the branch to the session's remote
      cluster.answer("release-notes", waiting.getStatus().getPendingApprovals().getFirst().id(),
          ApprovalDecision.approve, null);
      AgentRun asking = awaitPendingTool("release-notes", "open_pull_request");
      assertThat(branch(origin, "release-notes")).isEqualTo(committed);
      assertThat(asking.getStatus().getLastPush().branch()).isEqualTo("release-notes");
      assertThat(asking.getStatus().getLastPush().commit()).isEqualTo(committed.name());

      // and when the pull request is approved, the runner opens it on the forge
      cluster.answer("release-notes", asking.getStatus().getPendingApprovals().getFirst().id(),
          ApprovalDecision.approve, null);
      AgentRun released = cluster.awaitPhase("release-notes", AgentRunPhase.Succeeded);
      assertThat(released.getStatus().getPendingApprovals()).isEmpty();
      assertThat(released.getStatus().getPullRequest().url())
          .isEqualTo("https://github.com/octocat/Hello-World/pull/1");
      RecordedRequest list = forge.takeRequest();
      assertThat(list.getUrl().encodedPath()).isEqualTo("/repos/octocat/Hello-World/pulls");
      assertThat(list.getHeaders().get("Authorization")).isEqualTo("Bearer " + FORGE_TOKEN);
      assertThat(forge.takeRequest().getMethod()).isEqualTo("POST");
      assertThat(eventReasons("release-notes")).contains("Pushed", "PullRequestOpened");
      assertThat(model.toolResultsSeen("release notes"))
          .contains("release-notes", committed.name(), "pull/1")
          .doesNotContain("sk-test-not-a-real-key", PUSH_PASSWORD, FORGE_TOKEN);
    }
  }

  private static final String PUSH_PASSWORD = "push-password-not-real";
  private static final String FORGE_TOKEN = "forge-token-not-real";

  private static void createSecret(String name, String key, String value) {
    cluster.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName(name).endMetadata().addToStringData(key, value).build()).create();
  }

  private static AgentRun awaitPendingTool(String run, String tool) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      AgentRun current = cluster.run(run);
      return current.getStatus() != null && current.getStatus().getPendingApprovals() != null
          && current.getStatus().getPendingApprovals().stream()
              .anyMatch(p -> tool.equals(p.tool()));
    });
    return cluster.run(run);
  }

  private static List<String> eventReasons(String run) {
    return cluster.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> run.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason()).toList();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
        .body(body).build();
  }

  /** The session cloning from and pushing to the local origin, its forge the scripted API. */
  private static AgentSessionSpec withOrigin(AgentSessionSpec spec, Path origin, String forgeUrl) {
    GitSource git = spec.workspace().git();
    PullRequestSpec pr = git.pullRequests();
    WorkspaceSpec workspace = new WorkspaceSpec(spec.workspace().size(),
        spec.workspace().storageClassName(),
        git.toBuilder()
            .url("file://" + origin.toAbsolutePath())
            .pullRequests(new PullRequestSpec(pr.provider(), forgeUrl, pr.tokenSecretRef(),
                pr.baseBranch(), "octocat/Hello-World"))
            .build());
    return spec.toBuilder().workspace(workspace).build();
  }

  private static ObjectId localBranch(Path workspace, String name) throws IOException {
    try (Repository repository = new FileRepositoryBuilder()
        .setGitDir(workspace.resolve(".git").toFile()).build()) {
      return repository.resolve("refs/heads/" + name);
    }
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
