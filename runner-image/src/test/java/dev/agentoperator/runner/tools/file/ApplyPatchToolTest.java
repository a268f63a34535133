package dev.agentoperator.runner.tools.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyPatchToolTest {

  private static final String GREETING = "hello\nworld\nbye\n";
  private static final String NUMBERS =
      "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";

  @TempDir Path workspace;
  @TempDir Path state;
  private ToolHarness tools;

  @BeforeEach
  void setUp() throws Exception {
    tools = ToolHarness.standard(workspace, state);
    Files.writeString(workspace.resolve("greeting.txt"), GREETING);
    Files.createDirectories(workspace.resolve("src"));
    Files.writeString(workspace.resolve("src/numbers.txt"), NUMBERS);
    Files.writeString(workspace.resolve("obsolete.txt"), "old\n");
  }

  @Test
  void shouldApplyGitStyleDiffToOneFile() throws Exception {
    String patch =
        """
        diff --git a/greeting.txt b/greeting.txt
        index 3b18e51..b1e6722 100644
        --- a/greeting.txt
        +++ b/greeting.txt
        @@ -1,3 +1,3 @@
         hello
        -world
        +there
         bye
        """;

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content()).contains("modified greeting.txt (1 hunk(s))");
    assertThat(workspace.resolve("greeting.txt")).hasContent("hello\nthere\nbye");
    assertThat(Files.readString(workspace.resolve("greeting.txt"))).endsWith("bye\n");
  }

  @Test
  void shouldModifyCreateAndDeleteSeveralFilesInOnePatch() throws Exception {
    String patch =
        """
        --- a/src/numbers.txt
        +++ b/src/numbers.txt
        @@ -1,4 +1,4 @@
         one
        -two
        +TWO
         three
         four
        @@ -7,4 +7,5 @@
         seven
         eight
         nine
        +nine and a half
         ten
        --- /dev/null
        +++ b/docs/new.md
        @@ -0,0 +1,2 @@
        +# New
        +text
        --- a/obsolete.txt
        +++ /dev/null
        @@ -1 +0,0 @@
        -old
        """;

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(result.content())
        .contains("modified src/numbers.txt (2 hunk(s))")
        .contains("created docs/new.md")
        .contains("deleted obsolete.txt");
    assertThat(Files.readString(workspace.resolve("src/numbers.txt")))
        .isEqualTo(NUMBERS.replace("two", "TWO").replace("nine\n", "nine\nnine and a half\n"));
    assertThat(Files.readString(workspace.resolve("docs/new.md"))).isEqualTo("# New\ntext\n");
    assertThat(workspace.resolve("obsolete.txt")).doesNotExist();
  }

  @Test
  void shouldWriteNothingWhenOneHunkDoesNotApply() throws Exception {
    String patch =
        """
        --- a/greeting.txt
        +++ b/greeting.txt
        @@ -1,3 +1,3 @@
         hello
        -world
        +there
         bye
        --- a/src/numbers.txt
        +++ b/src/numbers.txt
        @@ -2,3 +2,3 @@
         two
        -drei
        +THREE
         four
        --- /dev/null
        +++ b/created.txt
        @@ -0,0 +1 @@
        +new
        """;

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.error()).isTrue();
    assertThat(result.content())
        .contains("hunk 1 of src/numbers.txt does not apply")
        .contains("line 2")
        .contains("No file was changed");
    assertThat(Files.readString(workspace.resolve("greeting.txt"))).isEqualTo(GREETING);
    assertThat(Files.readString(workspace.resolve("src/numbers.txt"))).isEqualTo(NUMBERS);
    assertThat(workspace.resolve("created.txt")).doesNotExist();
  }

  @Test
  void shouldApplyHunkWhoseLineNumbersAreSlightlyOff() throws Exception {
    String patch =
        """
        --- a/src/numbers.txt
        +++ b/src/numbers.txt
        @@ -4,3 +4,3 @@
         five
        -six
        +SIX
         seven
        """;

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(Files.readString(workspace.resolve("src/numbers.txt"))).contains("five\nSIX\nseven");
  }

  @Test
  void shouldRefuseToCreateFileThatExists() throws Exception {
    String patch = "--- /dev/null\n+++ b/greeting.txt\n@@ -0,0 +1 @@\n+replaced\n";

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("creates greeting.txt, which already exists");
    assertThat(Files.readString(workspace.resolve("greeting.txt"))).isEqualTo(GREETING);
  }

  @Test
  void shouldReportMissingFileToModify() throws Exception {
    String patch = "--- a/missing.txt\n+++ b/missing.txt\n@@ -1 +1 @@\n-a\n+b\n";

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.content()).contains("file not found: missing.txt").contains("/dev/null");
  }

  @Test
  void shouldRejectTextThatIsNotADiff() throws Exception {
    ToolResult result = tools.call("apply_patch", Map.of("patch", "please change world to there"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("no file sections");
  }

  @Test
  void shouldKeepCrlfLineEnds() throws Exception {
    Files.writeString(workspace.resolve("win.txt"), "a\r\nb\r\nc\r\n");
    String patch = "--- a/win.txt\n+++ b/win.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";

    ToolResult result = tools.call("apply_patch", Map.of("patch", patch));

    assertThat(result.error()).as(result.content()).isFalse();
    assertThat(Files.readString(workspace.resolve("win.txt"))).isEqualTo("a\r\nB\r\nc\r\n");
  }

  @Test
  void shouldExposeTouchedPathsAsMainArgument() {
    String patch =
        "--- a/x/one.txt\n+++ b/x/one.txt\n@@ -1 +1 @@\n-a\n+b\n--- /dev/null\n+++ b/two.txt\n";

    var call = tools.registry().prepare("apply_patch", "{\"patch\": " + quote(patch) + "}");

    assertThat(call.mainArgument()).isEqualTo("x/one.txt two.txt");
  }

  private static String quote(String text) {
    return "\"" + text.replace("\n", "\\n") + "\"";
  }
}
