package dev.agentoperator.runner.tools.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditFileToolTest {

  private static final String SOURCE = "int a = 1;\nint b = 1;\nprint(a);\nprint(b);\n";

  @TempDir Path workspace;
  @TempDir Path state;
  private ToolHarness tools;
  private Path file;

  @BeforeEach
  void setUp() throws Exception {
    tools = ToolHarness.standard(workspace, state);
    file = workspace.resolve("Main.txt");
    Files.writeString(file, SOURCE);
  }

  @Test
  void shouldReplaceUniqueMatch() throws Exception {
    ToolResult result =
        tools.call(
            "edit_file",
            Map.of("path", "Main.txt", "old_string", "int a = 1;", "new_string", "int a = 2;"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).isEqualTo("Edited Main.txt: replaced 1 occurrence(s)");
    assertThat(Files.readString(file)).isEqualTo(SOURCE.replace("int a = 1;", "int a = 2;"));
  }

  @Test
  void shouldReportNoMatchAndLeaveFileUnchanged() throws Exception {
    ToolResult result =
        tools.call(
            "edit_file", Map.of("path", "Main.txt", "old_string", "int c = 1;", "new_string", "x"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("old_string was not found");
    assertThat(Files.readString(file)).isEqualTo(SOURCE);
  }

  @Test
  void shouldReportHowManyPlacesMatchedWhenNotUnique() throws Exception {
    ToolResult result =
        tools.call(
            "edit_file", Map.of("path", "Main.txt", "old_string", " = 1;", "new_string", " = 3;"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("old_string matches 2 places").contains("replace_all");
    assertThat(Files.readString(file)).isEqualTo(SOURCE);
  }

  @Test
  void shouldReplaceEveryMatchWithReplaceAll() throws Exception {
    ToolResult result =
        tools.call(
            "edit_file",
            Map.of(
                "path",
                "Main.txt",
                "old_string",
                "print",
                "new_string",
                "log",
                "replace_all",
                true));

    assertThat(result.content()).isEqualTo("Edited Main.txt: replaced 2 occurrence(s)");
    assertThat(Files.readString(file)).contains("log(a);\nlog(b);");
  }

  @Test
  void shouldRefuseEmptyOldString() throws Exception {
    ToolResult result =
        tools.call("edit_file", Map.of("path", "Main.txt", "old_string", "", "new_string", "x"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("old_string is empty").contains("write_file");
  }

  @Test
  void shouldMatchLfTextInCrlfFileAndKeepCrlf() throws Exception {
    Files.writeString(file, "one\r\ntwo\r\nthree\r\n");

    ToolResult result =
        tools.call(
            "edit_file",
            Map.of("path", "Main.txt", "old_string", "one\ntwo", "new_string", "1\n2"));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(Files.readString(file)).isEqualTo("1\r\n2\r\nthree\r\n");
  }

  @Test
  void shouldReportMissingFile() throws Exception {
    ToolResult result =
        tools.call("edit_file", Map.of("path", "Nope.txt", "old_string", "a", "new_string", "b"));

    assertThat(result.content()).isEqualTo("file not found: Nope.txt");
  }

  @Test
  void shouldRefuseFileThatIsNotUtf8RatherThanCorruptIt() throws Exception {
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, '\n'};
    Files.write(file, latin1);

    ToolResult result =
        tools.call(
            "edit_file", Map.of("path", "Main.txt", "old_string", "caf", "new_string", "tea"));

    assertThat(result.content()).contains("not valid UTF-8");
    assertThat(Files.readAllBytes(file)).isEqualTo(latin1);
  }

  @Test
  void shouldApplyAllMultiEditsInOrder() throws Exception {
    ToolResult result =
        tools.call(
            "multi_edit",
            Map.of(
                "path",
                "Main.txt",
                "edits",
                List.of(
                    Map.of("old_string", "int a = 1;", "new_string", "int alpha = 1;"),
                    Map.of("old_string", "print(a)", "new_string", "print(alpha)"),
                    Map.of("old_string", "1;", "new_string", "7;", "replace_all", true))));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content())
        .isEqualTo("Edited Main.txt: applied 3 edit(s), replaced 4 occurrence(s)");
    assertThat(Files.readString(file))
        .isEqualTo("int alpha = 7;\nint b = 7;\nprint(alpha);\nprint(b);\n");
  }

  @Test
  void shouldApplyNoMultiEditWhenOneFails() throws Exception {
    ToolResult result =
        tools.call(
            "multi_edit",
            Map.of(
                "path",
                "Main.txt",
                "edits",
                List.of(
                    Map.of("old_string", "int a = 1;", "new_string", "int a = 2;"),
                    Map.of("old_string", "does not exist", "new_string", "x"))));

    assertThat(result.error()).isTrue();
    assertThat(result.content())
        .contains("edit 2 of 2")
        .contains("not found")
        .contains("No edit was applied; the file is unchanged");
    assertThat(Files.readString(file)).isEqualTo(SOURCE);
  }

  @Test
  void shouldLetLaterMultiEditSeeEarlierOnes() throws Exception {
    ToolResult result =
        tools.call(
            "multi_edit",
            Map.of(
                "path",
                "Main.txt",
                "edits",
                List.of(
                    Map.of("old_string", "int a = 1;", "new_string", "int z = 1;"),
                    Map.of("old_string", "int a = 1;", "new_string", "never"))));

    assertThat(result.content()).contains("edit 2 of 2").contains("not found");
    assertThat(Files.readString(file)).isEqualTo(SOURCE);
  }
}
