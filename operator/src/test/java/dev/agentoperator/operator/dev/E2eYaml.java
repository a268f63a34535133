package dev.agentoperator.operator.dev;

/** YAML of the sessions and runs the end-to-end tests apply. */
final class E2eYaml {

  /** The Secret holding the scripted model's (fake) key. */
  static final String MODEL_KEY_SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: model-key}
      stringData: {api-key: sk-e2e-fake-key}
      """;

  private E2eYaml() {}

  /**
   * A session talking to the scripted model; tools: shell, write_file, read_file, with {@code
   * touch approved*} and {@code touch denied*} asking first.
   */
  static String session(String name, ScriptedModel model, String idleTimeout) {
    return """
        ---
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentSession
        metadata: {name: %s}
        spec:
          model:
            provider: openai
            baseUrl: "%s"
            name: scripted
            apiKeySecretRef: {name: model-key, key: api-key}
          tools:
            allow: [shell, write_file, read_file]
            ask: ["shell:touch approved*", "shell:touch denied*"]
        %s
        """.formatted(name, model.baseUrl(),
        idleTimeout == null ? "" : "  idleTimeout: " + idleTimeout);
  }

  static String run(String name, String session, String prompt) {
    return """
        ---
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentRun
        metadata: {name: %s}
        spec:
          sessionRef: {name: %s}
          prompt: "%s"
          limits: {maxSteps: 10, timeout: 5m}
        """.formatted(name, session, prompt);
  }
}
