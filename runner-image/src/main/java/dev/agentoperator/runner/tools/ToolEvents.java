package dev.agentoperator.runner.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.EventData;

/** Where a runner tool records a run event (e.g. {@code git.pushed}); see {@code spec/events.md}. */
@FunctionalInterface
public interface ToolEvents {

  /** Records nothing. */
  ToolEvents NONE = (type, data) -> {};

  void emit(String type, ObjectNode data);

  /** Records typed event data; the recorder may add fields (the loop adds {@code step}). */
  default void emit(EventData data) {
    emit(data.type(), EventData.toJson(data));
  }
}
