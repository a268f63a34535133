package dev.agentoperator.operator.dev;

import dev.agentoperator.operator.OperatorMain;

/** The production operator ({@link OperatorMain#start}) started in this process. */
public final class InProcessOperator {

  private InProcessOperator() {}

  /** Starts {@link OperatorMain} with its production wiring; the handle stops it. */
  public static OperatorLauncher production() {
    return (client, config, clock) -> {
      OperatorMain.RunningOperator running = OperatorMain.start(client, config, clock);
      return running::stop;
    };
  }
}
