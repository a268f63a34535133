package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.PreparedCall;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The loop's view of a {@link ToolRegistry}: schemas and argument checks here in the runner, and
 * execution of every sandbox tool through {@code sandbox} (the sandbox container's executor in a
 * pod).
 */
public final class RegistryToolBox implements ToolBox {

  // Tools that leave the workspace as it is; every other tool (shell included) may change it.
  private static final Set<String> READ_ONLY =
      Set.of(
          "read_file",
          "question",
          "skill",
          "list_dir",
          "glob",
          "grep",
          "web_fetch",
          "todo_read",
          "todo_write",
          "git_push",
          "open_pull_request");

  private final ToolRegistry registry;
  private final ToolExecutor sandbox;

  public RegistryToolBox(ToolRegistry registry, ToolExecutor sandbox) {
    this.registry = registry;
    this.sandbox = sandbox;
  }

  @Override
  public List<JsonNode> schemas() {
    return registry.schemas();
  }

  @Override
  public CheckedCall prepare(String toolName, String rawArgumentsJson) {
    PreparedCall prepared = registry.prepare(toolName, rawArgumentsJson);
    return new CheckedCall() {
      @Override
      public String toolName() {
        return prepared.toolName();
      }

      @Override
      public String mainArgument() {
        return prepared.mainArgument();
      }

      @Override
      public String approvalSummary(ToolContext context) {
        return registry.approvalSummary(prepared, context);
      }

      @Override
      public Optional<ToolResult> rejection() {
        return prepared.isValid() ? Optional.empty() : Optional.of(prepared.rejection());
      }

      @Override
      public ToolResult execute(ToolContext context) throws InterruptedException {
        return registry.execute(prepared, context, sandbox);
      }
    };
  }

  @Override
  public boolean mayChangeFiles(String toolName) {
    return !READ_ONLY.contains(toolName);
  }
}
