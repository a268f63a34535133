package dev.agentoperator.runner.tools.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.runner.tools.Tool;

/**
 * What the publishing tools share: they run in the runner, which holds the credentials the sandbox
 * never sees, and policy patterns match the branch they publish (e.g. {@code git_push:agent/*}).
 */
abstract class PublishingTool implements Tool {

  @Override
  public final Placement placement() {
    return Placement.RUNNER;
  }

  @Override
  public final String mainArgument(JsonNode arguments) {
    return arguments.path("branch").asText("");
  }
}
