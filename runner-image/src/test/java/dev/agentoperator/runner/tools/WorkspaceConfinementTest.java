package dev.agentoperator.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Escape attempts through the real tools: each must be refused with a clear error, and neither the
 * result nor the directory next to the workspace may show that anything outside was read or
 * written.
 */
class WorkspaceConfinementTest {

  private static final String SECRET = "SECRET-CONTENT-42";

  @TempDir Path root;
  private Path workspace;
  private Path outside;
  private ToolHarness tools;

  @BeforeEach
  void setUp() throws IOException {
    workspace = Files.createDirectories(root.resolve("ws"));
    outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
    Files.createDirectories(workspace.resolve("sub"));
    Files.createDirectories(workspace.resolve(".git/hooks"));
    Files.writeString(workspace.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(workspace.resolve(".git/config"), "[core]\n");
    Files.writeString(workspace.resolve("notes.txt"), "inside\n");
    Files.createSymbolicLink(workspace.resolve("link-out"), outside);
    Files.createSymbolicLink(workspace.resolve("file-link"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(workspace.resolve("dangling"), outside.resolve("created.txt"));
    Files.createSymbolicLink(workspace.resolve("dangling-dir"), outside.resolve("newdir"));
    Files.createSymbolicLink(
        workspace.resolve("dangling-rel"), Path.of("../outside/created-rel.txt"));
    Files.createSymbolicLink(workspace.resolve("sub/up"), Path.of("../.."));
    Files.createSymbolicLink(workspace.resolve("abs-root"), Path.of("/"));
    Files.createSymbolicLink(workspace.resolve("loop1"), Path.of("loop2"));
    Files.createSymbolicLink(workspace.resolve("loop2"), Path.of("loop1"));
    tools = ToolHarness.standard(workspace, Files.createDirectories(root.resolve("state")));
  }

  static Stream<Arguments> escapeAttempts() {
    String longPath = "a/".repeat(2100) + "f.txt";
    String longComponent = "x".repeat(256) + ".txt";
    String patchCreatingOutside =
        "--- /dev/null\n+++ b/../outside/pwned.txt\n@@ -0,0 +1 @@\n+pwned\n";
    String patchThroughSymlink =
        "--- a/link-out/secret.txt\n+++ b/link-out/secret.txt\n@@ -1 +1 @@\n-"
            + SECRET
            + "\n+pwned\n";
    return Stream.of(
        attempt(
            "dot-dot read",
            "read_file",
            Map.of("path", "../outside/secret.txt"),
            "outside the workspace"),
        attempt(
            "absolute path outside",
            "read_file",
            Map.of("path", "/etc/passwd"),
            "outside the workspace"),
        attempt(
            "absolute path to sibling",
            "read_file",
            Map.of("path", "ABS_OUTSIDE/secret.txt"),
            "outside the workspace"),
        attempt(
            "symlinked directory read",
            "read_file",
            Map.of("path", "link-out/secret.txt"),
            "symbolic link"),
        attempt("symlinked file read", "read_file", Map.of("path", "file-link"), "symbolic link"),
        attempt(
            "symlink to / read",
            "read_file",
            Map.of("path", "abs-root/etc/passwd"),
            "symbolic link"),
        attempt(
            "symlinked directory write",
            "write_file",
            Map.of("path", "link-out/pwned.txt", "content", "x"),
            "symbolic link"),
        attempt(
            "dangling absolute symlink write",
            "write_file",
            Map.of("path", "dangling", "content", "x"),
            "symbolic link"),
        attempt(
            "dangling relative symlink write",
            "write_file",
            Map.of("path", "dangling-rel", "content", "x"),
            "symbolic link"),
        attempt(
            "dangling symlinked parent write",
            "write_file",
            Map.of("path", "dangling-dir/pwned.txt", "content", "x"),
            "symbolic link"),
        attempt(
            "symlink up two levels",
            "write_file",
            Map.of("path", "sub/up/outside/pwned.txt", "content", "x"),
            "symbolic link"),
        attempt(
            "dot-dot after symlink",
            "write_file",
            Map.of("path", "link-out/../outside/pwned.txt", "content", "x"),
            "symbolic link"),
        attempt(
            "dot-dot in the middle",
            "write_file",
            Map.of("path", "sub/../../outside/pwned.txt", "content", "x"),
            "outside the workspace"),
        attempt(
            "empty path", "write_file", Map.of("path", "", "content", "x"), "the path is empty"),
        attempt("whitespace path", "read_file", Map.of("path", "   "), "the path is empty"),
        attempt(
            "NUL byte",
            "write_file",
            Map.of("path", "ok.txt\u0000../../outside/x", "content", "x"),
            "NUL byte"),
        attempt(
            "over-long path",
            "write_file",
            Map.of("path", longPath, "content", "x"),
            "at most 4096"),
        attempt(
            "over-long component",
            "write_file",
            Map.of("path", longComponent, "content", "x"),
            "at most 255"),
        attempt(
            "write into .git",
            "write_file",
            Map.of("path", ".git/hooks/pre-commit", "content", "x"),
            ".git directory"),
        attempt(
            "edit .git file",
            "edit_file",
            Map.of("path", ".git/config", "old_string", "[core]", "new_string", "[x]"),
            ".git directory"),
        attempt(
            "write into .git via dot-dot",
            "write_file",
            Map.of("path", "sub/../.git/config", "content", "x"),
            ".git directory"),
        attempt(
            "write the workspace root",
            "write_file",
            Map.of("path", ".", "content", "x"),
            "workspace root itself"),
        attempt("symlink loop", "read_file", Map.of("path", "loop1"), "too many levels"),
        attempt(
            "multi_edit through symlink",
            "multi_edit",
            Map.of(
                "path",
                "file-link",
                "edits",
                java.util.List.of(Map.of("old_string", SECRET, "new_string", "x"))),
            "symbolic link"),
        attempt("list parent", "list_dir", Map.of("path", ".."), "outside the workspace"),
        attempt(
            "list symlinked directory", "list_dir", Map.of("path", "link-out"), "symbolic link"),
        attempt(
            "grep outside",
            "grep",
            Map.of("pattern", "SECRET", "path", "../outside"),
            "outside the workspace"),
        attempt(
            "glob in symlinked directory",
            "glob",
            Map.of("pattern", "*", "path", "link-out"),
            "symbolic link"),
        attempt(
            "shell workdir outside",
            "shell",
            Map.of("command", "cat secret.txt", "workdir", "../outside"),
            "outside the workspace"),
        attempt(
            "patch creating file outside",
            "apply_patch",
            Map.of("patch", patchCreatingOutside),
            "outside the workspace"),
        attempt(
            "patch through symlink",
            "apply_patch",
            Map.of("patch", patchThroughSymlink),
            "symbolic link"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapeAttempts")
  void shouldRefuseEscapeAttempt(
      String name, String tool, Map<String, Object> arguments, String reason) throws Exception {
    // given the state of the directory next to the workspace
    Map<String, String> before = snapshot(root.resolve("outside"));

    // when
    ToolResult result = tools.call(tool, withAbsoluteOutside(arguments));

    // then
    assertThat(result.error()).as(result.content()).isTrue();
    assertThat(result.content()).contains(reason).doesNotContain(SECRET);
    assertThat(snapshot(root.resolve("outside"))).isEqualTo(before);
    assertThat(Files.exists(root.resolve("pwned.txt"))).isFalse();
  }

  @Test
  void shouldNotReadThroughSymlinksWhenSearchingTheWholeWorkspace() throws Exception {
    ToolResult grep = tools.call("grep", Map.of("pattern", "SECRET"));
    ToolResult glob = tools.call("glob", Map.of("pattern", "**/*"));

    assertThat(grep.content()).startsWith("no matches").doesNotContain(SECRET);
    assertThat(glob.content()).contains("notes.txt").doesNotContain("secret.txt");
  }

  @Test
  void shouldAllowReadingInsideGitDirectory() throws Exception {
    ToolResult result = tools.call("read_file", Map.of("path", ".git/HEAD"));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).contains("ref: refs/heads/main");
  }

  @Test
  void shouldAcceptAbsolutePathInsideTheWorkspace() throws Exception {
    ToolResult result =
        tools.call("read_file", Map.of("path", workspace.resolve("notes.txt").toString()));

    assertThat(result.error()).isFalse();
    assertThat(result.content()).contains("inside");
  }

  @Test
  void shouldFollowSymlinkThatStaysInside() throws Exception {
    Files.createSymbolicLink(workspace.resolve("alias"), Path.of("sub"));

    ToolResult write = tools.call("write_file", Map.of("path", "alias/new.txt", "content", "hi\n"));

    assertThat(write.error()).as(write.content()).isFalse();
    assertThat(workspace.resolve("sub/new.txt")).hasContent("hi");
  }

  @Test
  void shouldAllowDotDotThatStaysInside() throws Exception {
    ToolResult result = tools.call("read_file", Map.of("path", "sub/../notes.txt"));

    assertThat(result.error()).isFalse();
  }

  private Map<String, Object> withAbsoluteOutside(Map<String, Object> arguments) {
    Map<String, Object> resolved = new TreeMap<>(arguments);
    resolved.replaceAll(
        (key, value) ->
            value instanceof String text && text.startsWith("ABS_OUTSIDE")
                ? text.replace("ABS_OUTSIDE", root.resolve("outside").toString())
                : value);
    return resolved;
  }

  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.toList()) {
        files.put(
            dir.relativize(path).toString(),
            Files.isRegularFile(path) ? Files.readString(path) : "<dir>");
      }
    }
    return files;
  }

  private static Arguments attempt(
      String name, String tool, Map<String, Object> arguments, String reason) {
    return Arguments.of(name, tool, arguments, reason);
  }
}
