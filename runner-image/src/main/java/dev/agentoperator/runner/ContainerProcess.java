package dev.agentoperator.runner;

import java.util.concurrent.CountDownLatch;

/** The life of a container's main process: serve until SIGTERM, then close what it serves. */
public final class ContainerProcess {

  private ContainerProcess() {}

  /** Blocks until the JVM shuts down; {@code service} is closed by the shutdown hook first. */
  public static void serveUntilStopped(AutoCloseable service) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      try {
                        service.close();
                      } catch (Exception e) {
                        System.err.println("while stopping: " + e);
                      }
                      stopped.countDown();
                    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
