package dev.agentoperator.runner.llm;

import java.util.List;

/**
 * One message of an OpenAI-style chat: {@code system}, {@code user}, {@code assistant} (possibly
 * with tool calls and no content) or {@code tool} (the result of the call named by {@code
 * toolCallId}).
 */
public record ChatMessage(
    String role, String content, List<ToolCall> toolCalls, String toolCallId) {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  public ChatMessage {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(SYSTEM, content, List.of(), null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(USER, content, List.of(), null);
  }

  public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
    return new ChatMessage(ASSISTANT, content, toolCalls, null);
  }

  public static ChatMessage toolResult(String toolCallId, String content) {
    return new ChatMessage(TOOL, content, List.of(), toolCallId);
  }

  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  public boolean isRole(String expected) {
    return expected.equals(role);
  }

  /** The content, or an empty string when the model sent none (common next to tool calls). */
  public String text() {
    return content == null ? "" : content;
  }
}
