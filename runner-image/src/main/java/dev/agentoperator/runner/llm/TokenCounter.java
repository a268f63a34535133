package dev.agentoperator.runner.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.List;

/**
 * Counts tokens with the cl100k_base encoding, the way the OpenAI cookbook counts chat requests: a
 * few tokens of framing per message plus the text. An estimate for other models, and good enough
 * for budgets with a margin.
 */
public final class TokenCounter {

  private static final int PER_MESSAGE = 4;

  /** Framing tokens of a whole request. */
  public static final int PER_REQUEST = 3;

  /**
   * The encoding's tables (100,000 byte-pair ranks) are built at the first count, not when a model
   * client is made at the runner's start: class initialisation of this holder does it once.
   */
  private static final class Cl100k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /** Builds the encoding's tables now (e.g. on a background thread once the runner is ready). */
  public static void preload() {
    Cl100k.ENCODING.getName();
  }

  public int count(String text) {
    return text == null || text.isEmpty() ? 0 : Cl100k.ENCODING.countTokensOrdinary(text);
  }

  public int count(ChatMessage message) {
    int tokens = PER_MESSAGE + count(message.content());
    for (ToolCall call : message.toolCalls()) {
      tokens += PER_MESSAGE + count(call.id()) + count(call.name()) + count(call.arguments());
    }
    return tokens + count(message.toolCallId());
  }

  public int count(List<ChatMessage> messages, List<JsonNode> tools) {
    int tokens = PER_REQUEST;
    for (ChatMessage message : messages) {
      tokens += count(message);
    }
    return tokens + countTools(tools);
  }

  public int countTools(List<JsonNode> tools) {
    int tokens = 0;
    for (JsonNode tool : tools) {
      tokens += count(tool.toString());
    }
    return tokens;
  }

  public int count(ChatRequest request) {
    return count(request.messages(), request.tools());
  }

  /** The text cut to at most {@code maxTokens} tokens, with a marker when something was cut. */
  public String truncate(String text, int maxTokens) {
    if (text == null || count(text) <= maxTokens) {
      return text;
    }
    String marker = "\n[... truncated]";
    int keep = Math.max(0, maxTokens - count(marker));
    IntArrayList tokens = Cl100k.ENCODING.encodeOrdinary(text, keep).getTokens();
    return Cl100k.ENCODING.decode(tokens) + marker;
  }
}
