package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads arguments that already passed the schema check, so types are known to be right. */
public final class Arguments {

  private Arguments() {}

  public static String string(JsonNode arguments, String name) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      throw new ToolException("argument '" + name + "' is required");
    }
    return value.asText();
  }

  public static Optional<String> optionalString(JsonNode arguments, String name) {
    JsonNode value = arguments.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  public static Optional<Long> optionalLong(JsonNode arguments, String name) {
    JsonNode value = arguments.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asLong());
  }

  public static boolean flag(JsonNode arguments, String name) {
    JsonNode value = arguments.get(name);
    return value != null && value.asBoolean(false);
  }
}
