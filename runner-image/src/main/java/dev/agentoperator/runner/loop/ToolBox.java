package dev.agentoperator.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The tools as the loop sees them: their schemas for the request, and a check of each call the
 * model makes. {@link RegistryToolBox} adapts the standard tool registry.
 */
public interface ToolBox {

  /** The entries of the request's {@code tools} array. */
  List<JsonNode> schemas();

  /** Parses and checks one call; never throws for a bad call (it comes back rejected). */
  CheckedCall prepare(String toolName, String rawArgumentsJson);

  /** Whether a call of this tool may change workspace files (and so deserves a snapshot). */
  boolean mayChangeFiles(String toolName);
}
