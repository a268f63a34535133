package dev.agentoperator.runner.loop;

import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.RunnerMain;
import dev.agentoperator.testing.model.ScriptedModelServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerMainTest {

  @TempDir Path root;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return RunnerMain.run(
        args,
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shouldRunAReplayCassetteFromTheCommandLine() throws Exception {
    // given
    Path workspace = Files.createDirectories(root.resolve("ws"));
    Path cassette = root.resolve("hello.yaml");
    Files.writeString(
        cassette,
        """
        turns:
          - toolCalls:
              - name: write_file
                arguments: {path: hello.txt, content: "hi\\n"}
          - toolCalls:
              - name: shell
                arguments: {command: cat hello.txt}
          - expectToolResult: hi
            content: Wrote hello.txt.
        """);

    // when
    int code =
        run(
            Map.of(),
            "run",
            "--workspace",
            workspace.toString(),
            "--state",
            root.resolve("state").toString(),
            "--prompt",
            "Say hi in a file",
            "--provider",
            "replay",
            "--cassette",
            cassette.toString(),
            "--run-uid",
            "cli-1",
            "--allow",
            "write_file",
            "--allow",
            "shell:cat *");

    // then
    assertThat(code).isZero();
    assertThat(Files.readString(workspace.resolve("hello.txt"))).isEqualTo("hi\n");
    assertThat(stdout())
        .contains("== run cli-1 started")
        .contains("> write_file hello.txt")
        .contains("> shell cat hello.txt")
        .contains("Wrote hello.txt.");
    assertThat(root.resolve("state/runs/cli-1/events.jsonl")).exists();
  }

  @Test
  void shouldDenyEveryToolFromTheCommandLineWhenNoPolicyIsGiven() throws Exception {
    // given: a model that tries to create a file through the shell
    Path workspace = Files.createDirectories(root.resolve("ws"));
    Path cassette = root.resolve("sneaky.yaml");
    Files.writeString(
        cassette,
        """
        turns:
          - toolCalls:
              - name: shell
                arguments: {command: touch marker}
          - expectToolResult: tool policy does not allow
            content: I could not.
        """);

    // when
    int code =
        run(
            Map.of(),
            "run",
            "--workspace",
            workspace.toString(),
            "--state",
            root.resolve("state").toString(),
            "--prompt",
            "Make a marker",
            "--provider",
            "replay",
            "--cassette",
            cassette.toString(),
            "--run-uid",
            "cli-deny");

    // then
    assertThat(code).isZero();
    assertThat(workspace.resolve("marker")).doesNotExist();
    assertThat(stderr()).contains("every tool call is denied").contains("--allow '*'");
    assertThat(stdout()).contains("I could not.");
  }

  @Test
  void shouldPrintJsonLinesAndKeepTheKeyOutOfStdoutWithTheOpenAiProvider() throws Exception {
    // given
    String key = "sk-cli-secret-key-0123456789";
    try (ScriptedModelServer server = new ScriptedModelServer()) {
      server.then(json(403, "{\"error\":{\"message\":\"key " + key + " lacks access\"}}"));
      Path workspace = Files.createDirectories(root.resolve("ws"));

      // when
      int code =
          run(
              Map.of("OPENAI_API_KEY", key),
              "run",
              "--workspace",
              workspace.toString(),
              "--state",
              root.resolve("state").toString(),
              "--prompt",
              "Hi",
              "--base-url",
              server.baseUrl(),
              "--model",
              "m1",
              "--log-format",
              "json",
              "--no-stream");

      // then
      assertThat(code).isEqualTo(1);
      assertThat(server.requests().getFirst().path("model").asText()).isEqualTo("m1");
      assertThat(stdout().lines()).allSatisfy(line -> assertThat(line).startsWith("{\"seq\":"));
      assertThat(stdout()).contains("HTTP 403").contains("lacks access").doesNotContain(key);
      assertThat(stderr()).doesNotContain(key);
    }
  }

  @Test
  void shouldSucceedWithTheOpenAiProviderAndSendTheKeyOnlyAsAHeader() throws Exception {
    String key = "sk-cli-secret-key-9876543210";
    try (ScriptedModelServer server = new ScriptedModelServer()) {
      server.then(finalAnswer("Hello."));
      Path workspace = Files.createDirectories(root.resolve("ws"));

      int code =
          run(
              Map.of("AGENT_MODEL_API_KEY", key),
              "run",
              "--workspace",
              workspace.toString(),
              "--state",
              root.resolve("state").toString(),
              "--prompt",
              "Hi",
              "--base-url",
              server.baseUrl(),
              "--no-stream",
              "--max-steps",
              "3",
              "--timeout",
              "5m");

      assertThat(code).isZero();
      assertThat(stdout()).contains("Hello.").doesNotContain(key);
    }
  }

  @Test
  void shouldExplainAMissingRequiredOption() {
    int code = run(Map.of(), "run", "--workspace", root.toString(), "--state", root.toString());

    assertThat(code).isEqualTo(2);
    assertThat(stderr())
        .contains("option --prompt is required")
        .contains("agent-runner run --workspace");
  }

  @Test
  void shouldExplainAnUnknownSubcommandOrOption() {
    assertThat(run(Map.of(), "serve-all")).isEqualTo(2);
    assertThat(stderr()).contains("unknown subcommand 'serve-all'");
    assertThat(run(Map.of(), "run", "--colour", "blue")).isEqualTo(2);
    assertThat(stderr()).contains("unknown option '--colour'");
  }

  @Test
  void shouldRejectABadDurationWithTheOptionName() {
    int code =
        run(
            Map.of(),
            "run",
            "--workspace",
            root.toString(),
            "--state",
            root.toString(),
            "--prompt",
            "x",
            "--timeout",
            "soon");

    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("option --timeout must be a duration");
  }

  @Test
  void shouldRequireTheRunUidToResume() {
    int code =
        run(
            Map.of(),
            "run",
            "--workspace",
            root.toString(),
            "--state",
            root.toString(),
            "--resume");

    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("option --resume needs --run-uid");
  }
}
