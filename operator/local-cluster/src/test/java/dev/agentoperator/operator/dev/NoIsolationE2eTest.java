package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.LocalClusterExtension.example;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.dev.cli.DevCommand;
import dev.agentoperator.operator.dev.cli.DevOptions;
import dev.agentoperator.operator.dev.kubelet.RunnerJarLocator;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import dev.agentoperator.operator.dev.kubelet.SandboxIsolation;
import dev.agentoperator.testing.model.Conversation;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine where the sandbox cannot be isolated (the bwrap runtime with a bubblewrap that does not
 * exist), attacked the way a hostile agent would: read the environment and the runner's, run a
 * shell, write files, start an MCP stdio server. Every attempt gets only the refusal, saying how
 * to get isolation; nothing of the agent's runs. {@code --no-isolation} runs tools, and says so.
 */
class NoIsolationE2eTest {

  private static final String MISSING_BWRAP = "/nonexistent/agent-e2e/bwrap";

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster = LocalClusterExtension.named("no-isolation")
      .withIsolation(new SandboxIsolation.Request(MISSING_BWRAP, false))
      .applying(MODEL_KEY_SECRET);

  @TempDir static Path home;

  @BeforeAll
  static void onTheHostProcessRuntime() {
    // podman isolates with its containers: there is nothing to refuse there
    assumeThat(LocalClusterExtension.RUNTIME).isEqualTo(RuntimeKind.BWRAP);
  }

  @Test
  void shouldAnswerEveryToolCallWithTheRefusalAndRunNothingOfTheAgents() throws Exception {
    // given an agent that goes for the runner's environment, its token and a shell
    model.script("[refused]",
        call("shell", args("command",
            "cat /proc/*/environ | tr '\\0' '\\n' > loot.txt; env >> loot.txt; echo pwned")),
        call("read_file", args("path", "/proc/1/environ")),
        call("write_file", args("path", "approve.sh", "content", "echo approved")),
        say("done trying"));

    // when it runs on a machine without isolation
    cluster.apply(session("refused", model, null) + run("refused-run", "refused", "[refused] go"));
    AgentRun run = cluster.awaitPhase("refused-run", AgentRunPhase.Succeeded);

    // then each tool result the model received is the refusal, saying how to get isolation
    List<String> results = toolResults("[refused]");
    assertThat(results).hasSize(3).allSatisfy(result -> assertThat(result)
        .contains("did not run: no isolation for the agent's sandbox on this machine")
        .contains(MISSING_BWRAP)
        .contains("apt-get install bubblewrap")
        .contains("--runtime podman"));
    String seen = String.join("\n", results);
    assertThat(seen).doesNotContain(cluster.runnerToken("refused"))
        .doesNotContain("AGENT_RUNNER_TOKEN").doesNotContain("PATH=").doesNotContain("pwned");
    // and nothing ran: the workspace holds none of the agent's files
    try (Stream<Path> files = Files.list(cluster.workspace("refused"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .doesNotContain("loot.txt", "approve.sh");
    }
    assertThat(run.getStatus().getResult().text()).isEqualTo("done trying");
  }

  @Test
  void shouldStartNoMcpStdioServerAndSayWhyInTheRunsMessage() throws Exception {
    // given a session whose stdio MCP server would run the agent's choice of code
    model.script("[mcp-refused]", say("no tools"));
    cluster.apply(session("mcp-refused", model, "allow: [\"mcp__marker__*\"]",
        """
          mcpServers:
            - name: marker
              stdio:
                command: sh
                args: [-c, "touch mcp-started; sleep 60"]
        """)
        + run("mcp-refused-run", "mcp-refused", "[mcp-refused] go"));

    // when the run starts
    AgentRun run = cluster.awaitPhase("mcp-refused-run", AgentRunPhase.Succeeded);

    // then the server never started, and the run says why
    assertThat(run.getStatus().getMessage())
        .contains("MCP server marker is unavailable")
        .contains("no isolation for the agent's sandbox");
    assertThat(cluster.workspace("mcp-refused").resolve("mcp-started")).doesNotExist();
  }

  @Test
  void shouldRunToolsOnlyWithNoIsolationAndSayThatTheyRunWithTheUsersRights() throws Exception {
    // given dev on the same machine, told to run tools unisolated
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DevCommand dev = new DevCommand(
        Map.of(RunnerJarLocator.ENV, LocalClusterExtension.runnerJar().toString(),
            DevCommand.BWRAP_ENV, MISSING_BWRAP),
        new PrintStream(buffer, true, StandardCharsets.UTF_8), Path.of(""),
        InProcessOperator.production(), Clock.systemUTC());
    DevOptions options = new DevOptions(home.resolve("dev"), Optional.empty(), Optional.empty(),
        Duration.ofMinutes(3), false, RuntimeKind.BWRAP, true,
        List.of(example("run-replay.yaml")));

    // when it runs the replay example
    int exit = dev.run(options);

    // then the run succeeds, and the output says once that the agent runs with the user's rights
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    assertThat(out).containsOnlyOnce("WARNING: --no-isolation")
        .contains("tools run unisolated, as local processes with your rights");
  }

  /** The tool messages of the model's last request: every tool result the model received. */
  private static List<String> toolResults(String marker) {
    return Conversation.toolMessages(model.requests(marker).getLast());
  }
}
