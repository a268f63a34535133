package dev.agentoperator.runner.events;

import dev.agentoperator.contract.runner.RunEvent;

/** Told about each event right after it is persisted (e.g. the stdout transcript). */
@FunctionalInterface
public interface EventListener {

  void onEvent(RunEvent event);
}
