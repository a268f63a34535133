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
      AgentRunSpec spec = run.getSpec();
      run.setSpec(spec.toBuilder().sessionTemplate(apply(spec.sessionTemplate())).build());
    }
    return object;
  }

  private AgentSessionSpec apply(AgentSessionSpec spec) {
    ModelSpec m = spec.model();
    if (m == null || m.provider() != ModelProvider.openai) {
      return spec;
    }
    ModelSpec model = m.toBuilder()
        .baseUrl(baseUrl.orElse(m.baseUrl()))
        .name(this.model.orElse(m.name()))
        .build();
    return spec.toBuilder().model(model).build();
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
