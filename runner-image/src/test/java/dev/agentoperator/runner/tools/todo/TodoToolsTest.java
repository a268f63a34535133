package dev.agentoperator.runner.tools.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TodoToolsTest {

  @TempDir Path workspace;
  @TempDir Path stateRoot;

  @Test
  void shouldReadBackWhatWasWritten() throws Exception {
    Path runState = stateRoot.resolve("runs/uid-1");
    ToolHarness tools = ToolHarness.standard(workspace, runState);

    ToolResult written =
        tools.call(
            "todo_write",
            Map.of(
                "todos",
                List.of(
                    Map.of("content", "Read the failing test", "status", "completed"),
                    Map.of("content", "Fix the parser", "status", "in_progress"),
                    Map.of("content", "Run all tests", "status", "pending"))));
    ToolResult read = tools.call("todo_read", Map.of());

    String expected =
        "Todo list (1/3 completed):\n"
            + "1. [x] Read the failing test\n"
            + "2. [~] Fix the parser  (in progress)\n"
            + "3. [ ] Run all tests\n";
    assertThat(written.content()).isEqualTo(expected);
    assertThat(read.content()).isEqualTo(expected);
    assertThat(runState.resolve("todos.json")).exists();
  }

  @Test
  void shouldKeepListInRunStateDirectoryAcrossToolInstances() throws Exception {
    Path runState = stateRoot.resolve("runs/uid-2");
    ToolHarness.standard(workspace, runState)
        .call(
            "todo_write",
            Map.of("todos", List.of(Map.of("content", "Persisted", "status", "pending"))));

    ToolResult read = ToolHarness.standard(workspace, runState).call("todo_read", Map.of());

    assertThat(read.content()).contains("1. [ ] Persisted");
  }

  @Test
  void shouldReplaceTheWholeList() throws Exception {
    ToolHarness tools = ToolHarness.standard(workspace, stateRoot);
    tools.call(
        "todo_write", Map.of("todos", List.of(Map.of("content", "Old", "status", "pending"))));

    tools.call(
        "todo_write", Map.of("todos", List.of(Map.of("content", "New", "status", "pending"))));

    assertThat(tools.call("todo_read", Map.of()).content()).contains("New").doesNotContain("Old");
  }

  @Test
  void shouldSayListIsEmptyBeforeAnyWrite() throws Exception {
    ToolResult read =
        ToolHarness.standard(workspace, stateRoot.resolve("fresh")).call("todo_read", Map.of());

    assertThat(read.error()).isFalse();
    assertThat(read.content()).isEqualTo("The todo list is empty.");
  }

  @Test
  void shouldNotWriteIntoTheWorkspace() throws Exception {
    ToolHarness.standard(workspace, stateRoot)
        .call("todo_write", Map.of("todos", List.of(Map.of("content", "x", "status", "pending"))));

    try (var files = Files.list(workspace)) {
      assertThat(files).isEmpty();
    }
  }
}
