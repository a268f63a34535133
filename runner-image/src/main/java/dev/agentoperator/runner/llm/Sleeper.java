package dev.agentoperator.runner.llm;

import java.time.Duration;

/** Waits between retries; injectable so tests of backoff do not really wait. */
@FunctionalInterface
public interface Sleeper {

  Sleeper REAL = duration -> Thread.sleep(duration);

  void sleep(Duration duration) throws InterruptedException;
}
