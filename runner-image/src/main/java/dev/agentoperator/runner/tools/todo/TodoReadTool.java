package dev.agentoperator.runner.tools.todo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;

/** {@code todo_read}: shows the run's todo list. */
public final class TodoReadTool implements Tool {

  @Override
  public String name() {
    return "todo_read";
  }

  @Override
  public Placement placement() {
    // The todo list is the run's own record in the state directory, which the sandbox never sees.
    return Placement.RUNNER;
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return "";
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) {
    return ToolResult.ok(TodoList.render(TodoList.read(context.runStateDir())));
  }
}
