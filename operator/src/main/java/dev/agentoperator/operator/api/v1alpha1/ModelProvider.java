package dev.agentoperator.operator.api.v1alpha1;

/** Where model turns come from. Constant names are the wire values. */
public enum ModelProvider {
  /** Any OpenAI-compatible chat completions endpoint. */
  openai,
  /** Recorded model turns played from a cassette, for CI and demos with no model endpoint. */
  replay
}
