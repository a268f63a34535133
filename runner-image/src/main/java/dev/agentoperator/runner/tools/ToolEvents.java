package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a runner tool records a run event (e.g. {@code git.pushed}); see {@code spec/events.md}. */
@FunctionalInterface
public interface ToolEvents {

  /** Records nothing. */
  ToolEvents NONE = (type, data) -> {};

  void emit(String type, ObjectNode data);
}
