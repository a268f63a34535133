package dev.agentoperator.runner.tools.todo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.runner.tools.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The run's todo list, kept as {@code todos.json} in the run state directory so it survives a pod
 * restart with the rest of the run's state.
 */
public final class TodoList {

  /** The file name inside the run state directory. */
  public static final String FILE_NAME = "todos.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One item; {@code status} is pending, in_progress or completed. */
  public record Item(String content, String status) {}

  private TodoList() {}

  static List<Item> read(Path runStateDir) {
    Path file = runStateDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return JSON.readValue(file.toFile(), new TypeReference<List<Item>>() {});
    } catch (IOException e) {
      throw new ToolException("the todo list cannot be read: " + e.getMessage());
    }
  }

  static void write(Path runStateDir, List<Item> items) {
    try {
      Files.createDirectories(runStateDir);
      Path temp = Files.createTempFile(runStateDir, "todos", ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), items);
      Files.move(
          temp,
          runStateDir.resolve(FILE_NAME),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ToolException("the todo list cannot be saved: " + e.getMessage());
    }
  }

  static String render(List<Item> items) {
    if (items.isEmpty()) {
      return "The todo list is empty.";
    }
    StringBuilder out = new StringBuilder();
    long done = items.stream().filter(item -> item.status().equals("completed")).count();
    out.append("Todo list (")
        .append(done)
        .append('/')
        .append(items.size())
        .append(" completed):\n");
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      String box =
          switch (item.status()) {
            case "completed" -> "[x]";
            case "in_progress" -> "[~]";
            default -> "[ ]";
          };
      out.append(i + 1).append(". ").append(box).append(' ').append(item.content());
      if (item.status().equals("in_progress")) {
        out.append("  (in progress)");
      }
      out.append('\n');
    }
    return out.toString();
  }
}
