package dev.agentoperator.runner.tools.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import dev.agentoperator.runner.tools.ToolSettingsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadFileToolTest {

  @TempDir Path workspace;
  @TempDir Path state;
  private ToolHarness tools;

  @BeforeEach
  void setUp() throws Exception {
    tools = ToolHarness.standard(workspace, state);
    String hundredLines =
        IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"))
            + "\n";
    Files.writeString(workspace.resolve("hundred.txt"), hundredLines);
  }

  @Test
  void shouldNumberLinesOfWholeFile() throws Exception {
    Files.writeString(workspace.resolve("a.txt"), "alpha\nbeta\n");

    ToolResult result = tools.call("read_file", Map.of("path", "a.txt"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).isEqualTo("     1\talpha\n     2\tbeta\n");
  }

  @Test
  void shouldReadWindowFromOffsetWithLimitAndSayHowToContinue() throws Exception {
    ToolResult result =
        tools.call("read_file", Map.of("path", "hundred.txt", "offset", 10, "limit", 3));

    assertThat(result.content())
        .isEqualTo(
            "    10\tline 10\n    11\tline 11\n    12\tline 12\n"
                + "(lines 10-12 of 100; call read_file with offset=13 to read on)\n");
  }

  @Test
  void shouldReadToTheEndFromOffset() throws Exception {
    ToolResult result = tools.call("read_file", Map.of("path", "hundred.txt", "offset", 99));

    assertThat(result.content())
        .isEqualTo("    99\tline 99\n   100\tline 100\n(lines 99-100 of 100)\n");
  }

  @Test
  void shouldCapLinesAtSettingsEvenWhenModelAsksForMore() throws Exception {
    ToolHarness capped =
        ToolHarness.withSettings(ToolSettingsBuilder.defaults().readLimits(5, 2000).build(), workspace, state);

    ToolResult result = capped.call("read_file", Map.of("path", "hundred.txt", "limit", 50));

    assertThat(result.content())
        .contains("     5\tline 5\n")
        .doesNotContain("line 6\n")
        .contains("offset=6");
  }

  @Test
  void shouldShortenVeryLongLines() throws Exception {
    Files.writeString(workspace.resolve("long.txt"), "y".repeat(3000) + "\n");
    ToolHarness capped =
        ToolHarness.withSettings(ToolSettingsBuilder.defaults().readLimits(10, 100).build(), workspace, state);

    ToolResult result = capped.call("read_file", Map.of("path", "long.txt"));

    assertThat(result.content()).contains("y".repeat(100) + " [... 2900 characters cut]");
  }

  @Test
  void shouldReportOffsetPastEnd() throws Exception {
    ToolResult result = tools.call("read_file", Map.of("path", "hundred.txt", "offset", 500));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("offset 500 is past the end").contains("100 lines");
  }

  @Test
  void shouldRefuseBinaryFile() throws Exception {
    Files.write(workspace.resolve("app.bin"), new byte[] {1, 2, 0, 3});

    ToolResult result = tools.call("read_file", Map.of("path", "app.bin"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("binary file");
  }

  @Test
  void shouldReportMissingFileAndDirectory() throws Exception {
    Files.createDirectories(workspace.resolve("dir"));

    assertThat(tools.call("read_file", Map.of("path", "nope.txt")).content())
        .isEqualTo("file not found: nope.txt");
    assertThat(tools.call("read_file", Map.of("path", "dir")).content())
        .contains("is a directory; use list_dir");
  }

  @Test
  void shouldSayFileIsEmpty() throws Exception {
    Files.writeString(workspace.resolve("empty.txt"), "");

    assertThat(tools.call("read_file", Map.of("path", "empty.txt")).content())
        .isEqualTo("(empty.txt is empty)");
  }

  @Test
  void shouldReadFileThatIsNotValidUtf8WithReplacementCharacters() throws Exception {
    Files.write(workspace.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});

    ToolResult result = tools.call("read_file", Map.of("path", "latin1.txt"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).contains("caf\uFFFD");
  }

  @Test
  void shouldStopAtResultSizeOnLineBoundaryAndSayWhereToContinue() throws Exception {
    ToolHarness small =
        ToolHarness.withSettings(ToolSettingsBuilder.defaults().resultCapChars(500).build(), workspace, state);

    ToolResult result = small.call("read_file", Map.of("path", "hundred.txt"));

    assertThat(result.content())
        .startsWith("     1\tline 1\n")
        .doesNotContain("characters cut")
        .containsPattern(
            "\\(lines 1-\\d+ of 100; call read_file with offset=\\d+ to read on\\)\n$");
  }
}
