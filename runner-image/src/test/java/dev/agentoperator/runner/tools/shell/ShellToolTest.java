package dev.agentoperator.runner.tools.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.ToolSettingsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellToolTest {

  private static final Duration GENEROUS = Duration.ofSeconds(20);

  @TempDir Path workspace;
  @TempDir Path state;
  private ToolHarness tools;
  private final List<Long> startedPids = new ArrayList<>();

  @BeforeEach
  void setUp() {
    tools =
        harness(
            ToolSettingsBuilder.defaults()
                .shellTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60)).build());
  }

  @AfterEach
  void killLeftovers() {
    startedPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void shouldReportExitCodeWithStdoutAndStderrMerged() throws Exception {
    ToolResult result = tools.call("shell", Map.of("command", "echo out; echo err >&2; exit 3"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).isEqualTo("out\nerr\nexit code: 3");
  }

  @Test
  void shouldSucceedWithExitCodeZeroAndRunInWorkspace() throws Exception {
    ToolResult result = tools.call("shell", Map.of("command", "pwd"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).isEqualTo(workspace.toRealPath() + "\nexit code: 0");
  }

  @Test
  void shouldRunInRequestedWorkdir() throws Exception {
    Files.createDirectories(workspace.resolve("module/src"));

    ToolResult result = tools.call("shell", Map.of("command", "pwd", "workdir", "module/src"));

    assertThat(result.content()).startsWith(workspace.toRealPath().resolve("module/src") + "\n");
  }

  @Test
  void shouldRefuseWorkdirThatIsNotADirectory() throws Exception {
    ToolResult result = tools.call("shell", Map.of("command", "pwd", "workdir", "missing"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("workdir missing is not a directory");
  }

  @Test
  void shouldCloseStdinSoReadingCommandsDoNotHang() throws Exception {
    ToolResult result = tools.call("shell", Map.of("command", "cat; read line; echo read=$?"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).isEqualTo("read=1\nexit code: 0");
  }

  @Test
  void shouldSayWhenThereIsNoOutput() throws Exception {
    assertThat(tools.call("shell", Map.of("command", "true")).content())
        .isEqualTo("(no output)\nexit code: 0");
  }

  @Test
  void shouldKeepHeadAndTailOfLongOutputAndCountCutBytes() throws Exception {
    ToolHarness capped = harness(ToolSettingsBuilder.defaults().shellOutputCapBytes(1000).build());

    ToolResult result = capped.call("shell", Map.of("command", "seq 1 100000"));

    long total = 0;
    for (int i = 1; i <= 100000; i++) {
      total += String.valueOf(i).length() + 1;
    }
    assertThat(result.content())
        .startsWith("1\n2\n3\n")
        .contains("\n[... " + (total - 1000) + " bytes of output cut ...]\n")
        .endsWith("99999\n100000\nexit code: 0");
  }

  @Test
  void shouldKillChildAndGrandchildrenOnTimeout() throws Exception {
    ToolHarness quick =
        harness(
            ToolSettingsBuilder.defaults()
                .shellTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)).build());
    String command =
        "sleep 300 & echo $! > child.pid;"
            + " bash -c 'sleep 300 & echo $! > grandchild.pid; wait' &"
            + " sleep 300";

    ToolResult result = quick.call("shell", Map.of("command", command));

    assertThat(result.error()).isTrue();
    assertThat(result.content())
        .contains("timed out after 1 s: the command and all its child processes were killed");
    long child = pid("child.pid");
    long grandchild = pid("grandchild.pid");
    await().atMost(GENEROUS).until(() -> !alive(child) && !alive(grandchild));
  }

  @Test
  void shouldLowerRequestedTimeoutToTheMaximum() throws Exception {
    ToolHarness bounded =
        harness(
            ToolSettingsBuilder.defaults()
                .shellTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build());

    ToolResult result =
        bounded.call("shell", Map.of("command", "sleep 300", "timeout_seconds", 3600));

    assertThat(result.content()).contains("timed out after 2 s");
  }

  @Test
  void shouldStopWholeTreeWhenCancelled() throws Exception {
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    tools.call(
                        "shell", Map.of("command", "sleep 300 & echo $! > bg.pid; sleep 300"));
                    outcome.set(new AssertionError("the call returned instead of being cancelled"));
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });
    await()
        .atMost(GENEROUS)
        .until(
            () ->
                Files.exists(workspace.resolve("bg.pid"))
                    && Files.size(workspace.resolve("bg.pid")) > 0);
    long background = pid("bg.pid");

    caller.interrupt();

    await().atMost(GENEROUS).until(() -> !caller.isAlive());
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    await().atMost(GENEROUS).until(() -> !alive(background));
  }

  @Test
  void shouldStopBackgroundProcessesWhenTheCommandEnds() throws Exception {
    String command =
        "sleep 300 & echo $! > holding.pid;"
            + " sleep 300 > /dev/null 2>&1 & echo $! > redirected.pid;"
            + " echo started";

    ToolResult result = tools.call("shell", Map.of("command", command));

    assertThat(result.error()).isFalse();
    assertThat(result.content())
        .isEqualTo(
            "started\nbackground processes started by the command were stopped\nexit code: 0");
    long holding = pid("holding.pid");
    long redirected = pid("redirected.pid");
    await().atMost(GENEROUS).until(() -> !alive(holding) && !alive(redirected));
  }

  @Test
  void shouldNotMentionBackgroundProcessesWhenThereWereNone() throws Exception {
    ToolResult result = tools.call("shell", Map.of("command", "echo done"));

    assertThat(result.content()).isEqualTo("done\nexit code: 0");
  }

  @Test
  void shouldLeaveProcessStartedWithSetsidRunning() throws Exception {
    ToolResult result =
        tools.call(
            "shell", Map.of("command", "setsid sleep 300 > /dev/null 2>&1 & echo $! > server.pid"));

    assertThat(result.content()).isEqualTo("(no output)\nexit code: 0");
    long server = pid("server.pid");
    assertThat(alive(server)).isTrue();
  }

  @Test
  void shouldScrubSecretsFromTheChildEnvironment() throws Exception {
    Map<String, String> runnerEnvironment =
        Map.of(
            "PATH", System.getenv("PATH"),
            "HARMLESS_SETTING", "visible-value",
            "OPENAI_API_KEY", "sk-value-1",
            "RUNNER_BEARER", "bearer-value-2",
            "DB_PASSWORD", "pw-value-3",
            "GITHUB_TOKEN", "gh-value-4",
            "aws_secret_access", "aws-value-5",
            "GIT_CREDENTIALS", "cred-value-6");
    ToolSettings settings = ToolSettings.defaults();
    ToolHarness scrubbed =
        new ToolHarness(
            ToolRegistry.of(settings, List.of(new ShellTool(settings, runnerEnvironment))),
            workspace,
            state,
            Set.of("RUNNER_BEARER"));

    ToolResult result = scrubbed.call("shell", Map.of("command", "env"));

    assertThat(result.content()).contains("HARMLESS_SETTING=visible-value");
    assertThat(result.content())
        .doesNotContain(
            "sk-value-1",
            "bearer-value-2",
            "pw-value-3",
            "gh-value-4",
            "aws-value-5",
            "cred-value-6");
  }

  private ToolHarness harness(ToolSettings settings) {
    return ToolHarness.withSettings(settings, workspace, state);
  }

  private long pid(String file) throws Exception {
    long pid = Long.parseLong(Files.readString(workspace.resolve(file)).strip());
    startedPids.add(pid);
    return pid;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
