package dev.agentoperator.operator.dev.kubelet;

/** Where the local pod runtime echoes container output, like {@code kubectl logs -f}. */
@FunctionalInterface
public interface LogSink {

  /** Discards the lines (they are still written to each pod's log file). */
  LogSink NONE = (pod, container, line) -> {};

  /** One line of a container's output. */
  void line(String pod, String container, String line);
}
