package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;

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

    int exit = command.run(options("../../examples/quickstart.yaml"));

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

    int exit = command(buffer).run(options("../../examples/run-in-session.yaml"));

    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isEqualTo(1);
    assertThat(out).contains("add-readme-section: Pending")
        .contains("AgentSession 'webapp' does not exist");
  }

  @Test
  void shouldPointRealModelSessionsAtTheEndpointAndKeyFromTheEnvironment() throws Exception {
    // given an openai session and run, as the examples have them, and a scripted endpoint
    try (ScriptedModel model = new ScriptedModel()) {
      model.script("[env-model]", ScriptedModel.Turn.say("hello from the scripted model"));
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
          RunnerJarLocator.ENV, E2eCluster.runnerJar().toString(),
          "OPENAI_API_KEY", "sk-dev-env-key",
          "OPENAI_BASE_URL", model.baseUrl(),
          "OPENAI_MODEL", "scripted-model");

      // when dev runs it with OPENAI_* set
      int exit = command(buffer, env).run(options(file.toString()));

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

  private DevCommand command(ByteArrayOutputStream buffer) {
    return command(buffer, Map.of(RunnerJarLocator.ENV, E2eCluster.runnerJar().toString()));
  }

  private DevCommand command(ByteArrayOutputStream buffer, Map<String, String> env) {
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    return new DevCommand(env, out, Path.of(""), InProcessOperator.production(),
        Clock.systemUTC());
  }

  private DevOptions options(String file) {
    return new DevOptions(home, Optional.empty(), Duration.ofMinutes(3), false,
        List.of(Path.of(file)));
  }
}
