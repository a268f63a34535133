package dev.agentoperator.runner.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.agentoperator.contract.runner.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded model turns played in order by {@link ReplayChatModel}; the YAML format is documented in
 * {@code spec/cassette.md}.
 */
public record Cassette(String name, List<Turn> turns) {

  static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

  public Cassette {
    turns = List.copyOf(turns);
  }

  /**
   * One recorded answer. {@code expectToolResult}, when set, is a substring that some {@code tool}
   * message of the request must contain, so a replay fails loudly when the tools behave
   * differently.
   */
  public record Turn(String expectToolResult, ChatResponse response) {}

  public static Cassette load(Path file) {
    try {
      return parse(file.getFileName().toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cassette " + file + ": " + e.getMessage(), e);
    }
  }

  public static Cassette parse(String name, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cassette " + name + " is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.path("turns").isArray()) {
      throw new IllegalArgumentException("cassette " + name + " has no 'turns' list");
    }
    List<Turn> turns = new ArrayList<>();
    int number = 0;
    for (JsonNode turn : root.path("turns")) {
      number++;
      turns.add(turn(name, number, turn));
    }
    return new Cassette(name, turns);
  }

  private static Turn turn(String name, int number, JsonNode node) {
    List<ToolCall> calls = new ArrayList<>();
    int index = 0;
    for (JsonNode call : node.path("toolCalls")) {
      index++;
      if (!call.hasNonNull("name")) {
        throw new IllegalArgumentException(
            "cassette " + name + " turn " + number + " tool call " + index + " has no name");
      }
      JsonNode args = call.get("arguments");
      String arguments =
          args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
      String id = call.hasNonNull("id") ? call.get("id").asText() : "call_" + number + "_" + index;
      calls.add(new ToolCall(id, call.get("name").asText(), arguments));
    }
    String content = node.hasNonNull("content") ? node.get("content").asText() : null;
    if (content == null && calls.isEmpty()) {
      throw new IllegalArgumentException(
          "cassette " + name + " turn " + number + " has neither content nor toolCalls");
    }
    JsonNode usageNode = node.path("usage");
    Usage usage =
        usageNode.isObject()
            ? Usage.of(usageNode.path("input").asLong(), usageNode.path("output").asLong())
            : null;
    String finish =
        node.hasNonNull("finishReason")
            ? node.get("finishReason").asText()
            : calls.isEmpty() ? "stop" : "tool_calls";
    String expect =
        node.hasNonNull("expectToolResult") ? node.get("expectToolResult").asText() : null;
    return new Turn(expect, new ChatResponse(ChatMessage.assistant(content, calls), finish, usage));
  }

  /** The YAML text of this cassette, readable by {@link #parse}. */
  public String toYaml() {
    ObjectNode root = YAML.createObjectNode();
    ArrayNode turnsNode = root.putArray("turns");
    for (Turn turn : turns) {
      ObjectNode node = turnsNode.addObject();
      if (turn.expectToolResult() != null) {
        node.put("expectToolResult", turn.expectToolResult());
      }
      ChatMessage message = turn.response().message();
      if (message.content() != null) {
        node.put("content", message.content());
      }
      if (message.hasToolCalls()) {
        ArrayNode calls = node.putArray("toolCalls");
        for (ToolCall call : message.toolCalls()) {
          ObjectNode callNode = calls.addObject();
          callNode.put("id", call.id());
          callNode.put("name", call.name());
          callNode.set("arguments", argumentsNode(call.arguments()));
        }
      }
      if (turn.response().finishReason() != null) {
        node.put("finishReason", turn.response().finishReason());
      }
      Usage usage = turn.response().usage();
      if (usage != null) {
        ObjectNode usageNode = node.putObject("usage");
        usageNode.put("input", usage.inputTokens());
        usageNode.put("output", usage.outputTokens());
      }
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode argumentsNode(String arguments) {
    try {
      JsonNode parsed = WireFormat.JSON.readTree(arguments);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (IOException malformed) {
      // kept as the raw string below, so a malformed call replays exactly as recorded
    }
    return WireFormat.JSON.getNodeFactory().textNode(arguments);
  }
}
