package dev.agentoperator.runner.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/** Turns an MCP tool result into the text the model reads. */
final class McpContent {

  private static final ObjectMapper JSON = new ObjectMapper();

  private McpContent() {}

  /**
   * Text parts as they are; other parts (images, audio, resources) named, not inlined; structured
   * content as JSON when there is no text.
   */
  static String text(McpSchema.CallToolResult result) {
    List<String> parts = new ArrayList<>();
    if (result.content() != null) {
      for (McpSchema.Content content : result.content()) {
        if (content instanceof McpSchema.TextContent text) {
          parts.add(text.text() == null ? "" : text.text());
        } else if (content instanceof McpSchema.ImageContent image) {
          parts.add("[image " + image.mimeType() + " not shown]");
        } else if (content instanceof McpSchema.EmbeddedResource resource
            && resource.resource() instanceof McpSchema.TextResourceContents text) {
          parts.add(text.text() == null ? "" : text.text());
        } else {
          parts.add("[" + content.type() + " content not shown]");
        }
      }
    }
    if (parts.isEmpty() && result.structuredContent() != null) {
      try {
        parts.add(JSON.writeValueAsString(result.structuredContent()));
      } catch (Exception e) {
        parts.add("[structured content that cannot be shown]");
      }
    }
    return parts.isEmpty() ? "(no content)" : String.join("\n", parts);
  }
}
