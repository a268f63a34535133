package dev.agentoperator.operator.config;

/** How the operator and the runners it starts write their logs. Constant names are the values. */
public enum LogFormat {
  /** Readable lines for people reading {@code kubectl logs}. */
  text,
  /** One JSON object per line, for log pipelines. */
  json
}
