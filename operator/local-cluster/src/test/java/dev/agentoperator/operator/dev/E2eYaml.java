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
    return session(name, model,
        "allow: [shell, write_file, read_file]\n"
            + "    ask: [\"shell:touch approved*\", \"shell:touch denied*\"]",
        idleTimeout == null ? "" : "  idleTimeout: " + idleTimeout);
  }

  /** A session talking to the scripted model with the given policy lines and extra spec lines. */
  static String session(String name, ScriptedModel model, String toolLines, String specLines) {
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
            %s
        %s
        """.formatted(name, model.baseUrl(), toolLines, specLines);
  }

  static String run(String name, String session, String prompt) {
    return run(name, session, prompt, "5m");
  }

  /** A run of {@code session} with at most 10 steps and the given timeout. */
  static String run(String name, String session, String prompt, String timeout) {
    return """
        ---
        apiVersion: agentoperator.dev/v1alpha1
        kind: AgentRun
        metadata: {name: %s}
        spec:
          sessionRef: {name: %s}
          prompt: "%s"
          limits: {maxSteps: 10, timeout: %s}
        """.formatted(name, session, prompt, timeout);
  }
}
