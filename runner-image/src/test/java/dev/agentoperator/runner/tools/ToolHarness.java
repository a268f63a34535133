package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Calls tools the way the agent loop does: through a registry's prepare and execute. */
public final class ToolHarness {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ToolRegistry registry;
  private final ToolContext context;

  public ToolHarness(ToolRegistry registry, Path workspace, Path runStateDir, Set<String> secrets) {
    this.registry = registry;
    this.context = new ToolContext(workspace, runStateDir, secrets);
  }

  /** The standard registry with default settings over the given workspace. */
  public static ToolHarness standard(Path workspace, Path runStateDir) {
    return new ToolHarness(
        ToolRegistry.standard(ToolSettings.defaults()), workspace, runStateDir, Set.of());
  }

  public static ToolHarness withSettings(ToolSettings settings, Path workspace, Path runStateDir) {
    return new ToolHarness(ToolRegistry.standard(settings), workspace, runStateDir, Set.of());
  }

  /** Calls {@code tool} with the arguments serialised to JSON, as a model would send them. */
  public ToolResult call(String tool, Map<String, ?> arguments) throws InterruptedException {
    try {
      return callRaw(tool, JSON.writeValueAsString(arguments));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public ToolResult callRaw(String tool, String rawJson) throws InterruptedException {
    return registry.execute(registry.prepare(tool, rawJson), context);
  }

  public ToolContext context() {
    return context;
  }

  public ToolRegistry registry() {
    return registry;
  }
}
