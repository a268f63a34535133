package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.LocalClusterExtension.example;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.dev.apiserver.EmbeddedApiServer;
import dev.agentoperator.operator.dev.cli.DevCommand;
import dev.agentoperator.operator.dev.cli.DevOptions;
import dev.agentoperator.operator.dev.kubelet.RunnerJarLocator;
import dev.agentoperator.testing.model.Turn;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-operator dev}, as the README's main command runs it, in this JVM. */
class DevCommandE2eTest {

  @TempDir Path home;

  @Test
  void shouldRunTheQuickstartToSuccessAndPrintTableLogsAndReport() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DevCommand command = command(buffer);

    int exit = command.run(options(example("quickstart.yaml")));

    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    assertThat(out)
        .containsPattern("NAME +SESSION +PHASE +STEPS +TOKENS +AGE")
        .containsPattern("quickstart +quickstart-session +Succeeded +5 +4742 ")
        .contains("[pod/quickstart-session-sandbox/runner] ")
        .contains("quickstart: Succeeded after 5 step(s) and 4 tool call(s)")
        .contains("Run it with `sh fizzbuzz.sh`.")
        .containsPattern("snapshot: [0-9a-f]{40} \\(2 snapshot\\(s\\)\\)")
        .contains("usage:    4418 input + 324 output = 4742 tokens");
    assertThat(home.resolve("kubeconfig")).content().contains("server: http://");
  }

  @Test
  void shouldExitNonZeroWhenARunIsRejected() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int exit = command(buffer).run(options(example("run-in-session.yaml")));

    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isEqualTo(1);
    assertThat(out).contains("add-readme-section: Pending")
        .contains("AgentSession 'webapp' does not exist");
  }

  @Test
  void shouldPointRealModelSessionsAtTheEndpointAndKeyFromTheEnvironment() throws Exception {
    // given an openai session and run, as the examples have them, and a scripted endpoint
    try (ScriptedModel model = new ScriptedModel()) {
      model.script("[env-model]", Turn.say("hello from the scripted model"));
      Path file = Files.writeString(home.resolve("real-model.yaml"), """
          apiVersion: agentoperator.dev/v1alpha1
          kind: AgentSession
          metadata: {name: real}
          spec:
            model:
              provider: openai
              name: gpt-4o-mini
              apiKeySecretRef: {name: openai-api-key, key: api-key}
          ---
          apiVersion: agentoperator.dev/v1alpha1
          kind: AgentRun
          metadata: {name: real-run}
          spec:
            sessionRef: {name: real}
            prompt: "[env-model] say hello"
          """);
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      Map<String, String> env = Map.of(
          RunnerJarLocator.ENV, LocalClusterExtension.runnerJar().toString(),
          "OPENAI_API_KEY", "sk-dev-env-key",
          "OPENAI_BASE_URL", model.baseUrl(),
          "OPENAI_MODEL", "scripted-model");

      // when dev runs it with OPENAI_* set
      int exit = command(buffer, env).run(options(file));

      // then the run used that endpoint, model and key, and the key was never printed
      String out = buffer.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(out).isZero();
      assertThat(out).contains("secret/openai-api-key created from OPENAI_API_KEY")
          .contains("result:   hello from the scripted model")
          .doesNotContain("sk-dev-env-key");
      assertThat(model.authorizations()).containsOnly("Bearer sk-dev-env-key");
      assertThat(model.requests("[env-model]").getFirst().path("model").asText())
          .isEqualTo("scripted-model");
    }
  }

  @Test
  void shouldRunAgainstAnExistingApiServerNamedByKubeconfig() throws Exception {
    // given an API server started apart from dev (as kind's or envtest's would be), its
    // kubeconfig, and a pod there that is not the operator's
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        KubernetesClient client = api.newClient()) {
      Path kubeconfig = api.writeKubeconfig(home.resolve("existing").resolve("kubeconfig"));
      client.pods().inNamespace("default").resource(new PodBuilder()
              .withNewMetadata().withName("bystander").endMetadata()
              .withNewSpec().addNewContainer().withName("main").withImage("busybox")
              .endContainer().endSpec().build())
          .create();
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      DevOptions options = new DevOptions(home.resolve("dev"), Optional.empty(),
          Optional.of(kubeconfig), Duration.ofMinutes(3), false, LocalClusterExtension.RUNTIME,
          false, List.of(example("run-replay.yaml")));

      // when dev runs the replay example with --kubeconfig
      int exit = command(buffer).run(options);

      // then the run succeeded on that server, and the local kubelet left the other pod alone
      String out = buffer.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(out).isZero();
      assertThat(out).contains("local cluster: API " + api.url())
          .contains("kubeconfig " + kubeconfig)
          .contains("an existing API server: kubectl works against it")
          .containsPattern("hello-replay +hello-replay-session +Succeeded +3 ");
      AgentRun run = client.resources(AgentRun.class).inNamespace("default")
          .withName("hello-replay").get();
      assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Succeeded);
      PodStatus bystander =
          client.pods().inNamespace("default").withName("bystander").get().getStatus();
      assertThat(bystander == null ? List.of() : bystander.getContainerStatuses())
          .as("the local kubelet runs only the operator's pods").isEmpty();
      assertThat(home.resolve("dev").resolve("kubeconfig")).doesNotExist();
    }
  }

  private DevCommand command(ByteArrayOutputStream buffer) {
    return command(buffer,
        Map.of(RunnerJarLocator.ENV, LocalClusterExtension.runnerJar().toString()));
  }

  private DevCommand command(ByteArrayOutputStream buffer, Map<String, String> env) {
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    return new DevCommand(env, out, Path.of(""), InProcessOperator.production(),
        Clock.systemUTC());
  }

  private DevOptions options(Path file) {
    return new DevOptions(home, Optional.empty(), Optional.empty(), Duration.ofMinutes(3), false,
        LocalClusterExtension.RUNTIME, false, List.of(file));
  }
}
