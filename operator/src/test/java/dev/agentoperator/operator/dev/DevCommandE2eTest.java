package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    int exit = command.run(options("../examples/quickstart.yaml"));

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

    int exit = command(buffer).run(options("../examples/run-in-session.yaml"));

    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isEqualTo(1);
    assertThat(out).contains("add-readme-section: Pending")
        .contains("AgentSession 'webapp' does not exist");
  }

  private DevCommand command(ByteArrayOutputStream buffer) {
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    Map<String, String> env = Map.of(RunnerJarLocator.ENV, E2eCluster.runnerJar().toString());
    return new DevCommand(env, out, Path.of(""), InProcessOperator.production(),
        Clock.systemUTC());
  }

  private DevOptions options(String file) {
    return new DevOptions(home, Optional.empty(), Duration.ofMinutes(3), false,
        List.of(Path.of(file)));
  }
}
