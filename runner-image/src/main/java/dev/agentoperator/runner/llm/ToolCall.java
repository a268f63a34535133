package dev.agentoperator.runner.llm;

/**
 * One function call requested by the model: its id, the function name and the raw JSON arguments.
 */
public record ToolCall(String id, String name, String arguments) {

  public ToolCall {
    name = name == null ? "" : name;
    arguments = arguments == null ? "" : arguments;
  }
}
