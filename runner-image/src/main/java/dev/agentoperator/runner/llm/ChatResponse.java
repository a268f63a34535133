package dev.agentoperator.runner.llm;

import dev.agentoperator.contract.runner.Usage;

/**
 * The model's answer: an assistant message (text and/or tool calls), the finish reason as the
 * server sent it ({@code stop}, {@code tool_calls}, {@code length}, ... or null) and the token use.
 */
public record ChatResponse(ChatMessage message, String finishReason, Usage usage) {}
