package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * Points the examples' real-model sessions at the endpoint the developer has: with {@code
 * OPENAI_BASE_URL} and {@code OPENAI_MODEL} set, every {@code openai} session (and session
 * template) of the applied files uses them. Replay sessions are left alone. Keys never pass
 * through here: they go into the Secret the examples reference.
 */
public record ModelOverrides(Optional<String> baseUrl, Optional<String> model) {

  /** The overrides the environment asks for. */
  public static ModelOverrides fromEnv(Map<String, String> env) {
    return new ModelOverrides(nonBlank(env.get("OPENAI_BASE_URL")),
        nonBlank(env.get("OPENAI_MODEL")));
  }

  /** No overrides. */
  public static ModelOverrides none() {
    return new ModelOverrides(Optional.empty(), Optional.empty());
  }

  HasMetadata apply(HasMetadata object) {
    if (baseUrl.isEmpty() && model.isEmpty()) {
      return object;
    }
    if (object instanceof AgentSession session && session.getSpec() != null) {
      session.setSpec(apply(session.getSpec()));
    }
    if (object instanceof AgentRun run && run.getSpec() != null
        && run.getSpec().sessionTemplate() != null) {
      AgentRunSpec s = run.getSpec();
      run.setSpec(new AgentRunSpec(s.sessionRef(), apply(s.sessionTemplate()), s.prompt(),
          s.model(), s.limits(), s.tools(), s.restoreSnapshot(), s.cancel(), s.approvals(),
          s.ttlSecondsAfterFinished(), s.answers()));
    }
    return object;
  }

  private AgentSessionSpec apply(AgentSessionSpec spec) {
    ModelSpec m = spec.model();
    if (m == null || m.provider() != ModelProvider.openai) {
      return spec;
    }
    ModelSpec model = new ModelSpec(m.provider(), baseUrl.orElse(m.baseUrl()),
        this.model.orElse(m.name()), m.apiKeySecretRef(), m.temperature(), m.maxOutputTokens(),
        m.contextWindow(), m.cassetteRef(), m.direct());
    return new AgentSessionSpec(model, spec.systemPrompt(), spec.workspace(), spec.sandbox(),
        spec.tools(), spec.idleTimeout(), spec.suspend());
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
