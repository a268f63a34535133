package dev.agentoperator.runner.tools.todo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Arguments;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.ArrayList;
import java.util.List;

/** {@code todo_write}: replaces the run's todo list and shows it back. */
public final class TodoWriteTool implements Tool {

  @Override
  public String name() {
    return "todo_write";
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
    List<TodoList.Item> items = new ArrayList<>();
    for (JsonNode todo : arguments.get("todos")) {
      items.add(
          new TodoList.Item(
              Arguments.string(todo, "content").strip(), Arguments.string(todo, "status")));
    }
    TodoList.write(context.runStateDir(), items);
    return ToolResult.ok(TodoList.render(items));
  }
}
