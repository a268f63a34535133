package dev.agentoperator.runner.tools.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.ToolSettingsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** glob, grep and list_dir over a small project tree. */
class SearchToolsTest {

  @TempDir Path workspace;
  @TempDir Path state;
  private ToolHarness tools;

  @BeforeEach
  void setUp() throws Exception {
    tools = ToolHarness.standard(workspace, state);
    write("App.java", "class App {\n  // TODO start\n}\n");
    write("src/main/Service.java", "class Service {\n  void run() {}\n  // todo later\n}\n");
    write("src/test/ServiceTest.java", "class ServiceTest {}\n");
    write("docs/readme.md", "TODO: docs\n");
    write(".git/config", "TODO inside git\n");
    Files.write(workspace.resolve("src/main/blob.bin"), new byte[] {'T', 'O', 'D', 'O', 0, 1});
  }

  @Test
  void shouldGlobRecursivelyIncludingTopLevel() throws Exception {
    ToolResult result = tools.call("glob", Map.of("pattern", "**/*.java"));

    assertThat(result.content())
        .isEqualTo("App.java\nsrc/main/Service.java\nsrc/test/ServiceTest.java\n");
  }

  @Test
  void shouldGlobByFileNameUnderPath() throws Exception {
    ToolResult result = tools.call("glob", Map.of("pattern", "*Test.java", "path", "src"));

    assertThat(result.content()).isEqualTo("src/test/ServiceTest.java\n");
  }

  @Test
  void shouldSkipGitDirectoryInGlob() throws Exception {
    ToolResult result = tools.call("glob", Map.of("pattern", "**/config"));

    assertThat(result.content()).startsWith("no files match");
  }

  @Test
  void shouldCapGlobResults() throws Exception {
    ToolHarness capped =
        ToolHarness.withSettings(
            ToolSettingsBuilder.defaults().searchLimits(200, 2, 1000).build(), workspace, state);

    ToolResult result = capped.call("glob", Map.of("pattern", "**/*.java"));

    assertThat(result.content())
        .contains("App.java\nsrc/main/Service.java\n(1 more matches not shown");
  }

  @Test
  void shouldGrepWithLineNumbersSkippingBinaryAndGit() throws Exception {
    ToolResult result = tools.call("grep", Map.of("pattern", "TODO"));

    assertThat(result.error()).isFalse();
    assertThat(result.content())
        .isEqualTo(
            "App.java:2:   // TODO start\n"
                + "docs/readme.md:1: TODO: docs\n"
                + "(2 matching line(s) in 2 file(s); 1 binary file(s) skipped)\n");
  }

  @Test
  void shouldGrepCaseInsensitivelyWithGlobFilterAndPath() throws Exception {
    ToolResult result =
        tools.call(
            "grep",
            Map.of("pattern", "todo", "path", "src", "glob", "*.java", "case_insensitive", true));

    assertThat(result.content())
        .isEqualTo("src/main/Service.java:3:   // todo later\n(1 matching line(s) in 1 file(s))\n");
  }

  @Test
  void shouldGrepSingleFile() throws Exception {
    ToolResult result =
        tools.call("grep", Map.of("pattern", "void \\w+\\(", "path", "src/main/Service.java"));

    assertThat(result.content()).startsWith("src/main/Service.java:2:   void run() {}\n");
  }

  @Test
  void shouldStopGrepAtMatchCapAndSaySo() throws Exception {
    write("many.txt", "hit\n".repeat(50));
    ToolHarness capped =
        ToolHarness.withSettings(
            ToolSettingsBuilder.defaults().searchLimits(5, 500, 1000).build(), workspace, state);

    ToolResult result = capped.call("grep", Map.of("pattern", "hit", "path", "many.txt"));

    assertThat(result.content().lines().filter(line -> line.startsWith("many.txt:"))).hasSize(5);
    assertThat(result.content()).contains("stopped at 5 matches");
  }

  @Test
  void shouldExplainInvalidRegex() throws Exception {
    ToolResult result = tools.call("grep", Map.of("pattern", "foo(("));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).startsWith("invalid regular expression");
  }

  @Test
  void shouldReportNoMatches() throws Exception {
    ToolResult result = tools.call("grep", Map.of("pattern", "zzz", "path", "docs"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).isEqualTo("no matches for /zzz/ in docs");
  }

  @Test
  void shouldListDirectoryEntriesWithKinds() throws Exception {
    Files.createSymbolicLink(workspace.resolve("link"), Path.of("docs"));

    ToolResult result = tools.call("list_dir", Map.of());

    assertThat(result.content()).isEqualTo(".git/\nApp.java  (30 bytes)\ndocs/\nlink@\nsrc/\n");
  }

  @Test
  void shouldListSubdirectoryAndReportFileAsNotDirectory() throws Exception {
    assertThat(tools.call("list_dir", Map.of("path", "src/main")).content())
        .isEqualTo("Service.java  (50 bytes)\nblob.bin  (6 bytes)\n");
    assertThat(tools.call("list_dir", Map.of("path", "App.java")).content())
        .contains("is a file, not a directory");
  }

  @Test
  void shouldStopCatastrophicRegexWhenCancelled() throws Exception {
    write("evil.txt", "a".repeat(40) + "!\n");
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    tools.call("grep", Map.of("pattern", "(a+)+\\1b", "path", "evil.txt"));
                    outcome.set(
                        new AssertionError("the search finished instead of being cancelled"));
                  } catch (Throwable t) {
                    outcome.set(t);
                  }
                });

    await().atMost(Duration.ofSeconds(20)).until(() -> runningRegex(caller));
    caller.interrupt();

    await().atMost(Duration.ofSeconds(20)).until(() -> !caller.isAlive());
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
  }

  /** Whether the thread is inside the regex engine (backreference-heavy patterns run for ages). */
  private static boolean runningRegex(Thread thread) {
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().startsWith("java.util.regex.")) {
        return true;
      }
    }
    return false;
  }

  private void write(String relative, String content) throws Exception {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
