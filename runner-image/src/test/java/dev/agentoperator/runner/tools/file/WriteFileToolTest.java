package dev.agentoperator.runner.tools.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteFileToolTest {

  @TempDir Path workspace;
  @TempDir Path state;
  private ToolHarness tools;

  @BeforeEach
  void setUp() {
    tools = ToolHarness.standard(workspace, state);
  }

  @Test
  void shouldCreateFileAndMissingParentDirectories() throws Exception {
    ToolResult result =
        tools.call("write_file", Map.of("path", "src/main/App.java", "content", "class App {}\n"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).isEqualTo("Created src/main/App.java (13 bytes, 1 lines)");
    assertThat(workspace.resolve("src/main/App.java")).hasContent("class App {}");
  }

  @Test
  void shouldReplaceExistingFileKeepingItsPermissions() throws Exception {
    Path script = workspace.resolve("run.sh");
    Files.writeString(script, "echo old\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));

    ToolResult result = tools.call("write_file", Map.of("path", "run.sh", "content", "echo new\n"));

    assertThat(result.content()).startsWith("Replaced run.sh");
    assertThat(Files.readString(script)).isEqualTo("echo new\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void shouldLeaveNoTemporaryFilesBehind() throws Exception {
    tools.call("write_file", Map.of("path", "a.txt", "content", "x"));

    try (var files = Files.list(workspace)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.txt");
    }
  }

  @Test
  void shouldRefuseToOverwriteDirectory() throws Exception {
    Files.createDirectories(workspace.resolve("dir"));

    ToolResult result = tools.call("write_file", Map.of("path", "dir", "content", "x"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("is a directory");
    assertThat(workspace.resolve("dir")).isDirectory();
  }
}
