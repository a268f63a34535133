package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The model a session talks to. The API key is only ever referenced, never inlined. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.provider != 'openai' || has(self.name)",
    message = "model.name is required when model.provider is openai (e.g. gpt-4o-mini)")
@ValidationRule(
    value = "self.provider != 'replay' || has(self.cassetteRef)",
    message = "model.cassetteRef is required when model.provider is replay")
public record ModelSpec(
    @Required
    @JsonPropertyDescription(
        "Where model turns come from: `openai` (any OpenAI-compatible chat completions endpoint) or"
            + " `replay` (a recorded cassette from a ConfigMap, no endpoint needed).")
    ModelProvider provider,
    @Pattern("^https?://.+")
    @Size(max = 2048)
    @JsonPropertyDescription(
        "Base URL of the OpenAI-compatible API, e.g. `https://api.openai.com/v1` (the default) or"
            + " `http://vllm.models:8000/v1`.")
    String baseUrl,
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Model name sent with each request, e.g. `gpt-4o-mini`.")
    String name,
    @JsonPropertyDescription(
        "Secret key holding the API key, in the session's namespace. With the operator's model"
            + " gateway (the default where one is installed) only the gateway reads it and no"
            + " sandbox pod holds it; with `direct: true` or no gateway it reaches the runner"
            + " container (never the sandbox container) as an environment variable. It never"
            + " appears in status, Events, logs or transcripts.")
    SecretKeyRef apiKeySecretRef,
    @Min(0)
    @Max(2)
    @JsonPropertyDescription("Sampling temperature, 0 to 2. Unset: the endpoint's default.")
    Double temperature,
    @Min(1)
    @Max(1_000_000)
    @JsonPropertyDescription("Upper bound on tokens the model may produce in one turn.")
    Integer maxOutputTokens,
    @Min(512)
    @Max(10_000_000)
    @JsonPropertyDescription(
        "Context window budget in tokens. When a request would exceed it, older turns are"
            + " summarised into one message. Default: 100000.")
    Integer contextWindow,
    @JsonPropertyDescription(
        "ConfigMap key holding a replay cassette (recorded model turns). Required for `replay`.")
    ConfigMapKeyRef cassetteRef,
    @JsonPropertyDescription(
        "`true`: the runner calls `baseUrl` itself with the key, and the sandbox pod may reach the"
            + " public internet (a NetworkPolicy cannot tell the runner's traffic from the"
            + " agent's). Default (false): where the operator has a model gateway, `openai`"
            + " sessions go through it, the key stays in the gateway and the pod's egress is DNS,"
            + " the gateway and `sandbox.egress` only.")
    Boolean direct) {

  /** An empty builder; every field starts unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this spec, to copy it with some fields changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a ModelSpec by field name, so a copy carries every field. */
  public static final class Builder {
    private ModelProvider provider;
    private String baseUrl;
    private String name;
    private SecretKeyRef apiKeySecretRef;
    private Double temperature;
    private Integer maxOutputTokens;
    private Integer contextWindow;
    private ConfigMapKeyRef cassetteRef;
    private Boolean direct;

    private Builder() {}

    private Builder(ModelSpec spec) {
      this.provider = spec.provider();
      this.baseUrl = spec.baseUrl();
      this.name = spec.name();
      this.apiKeySecretRef = spec.apiKeySecretRef();
      this.temperature = spec.temperature();
      this.maxOutputTokens = spec.maxOutputTokens();
      this.contextWindow = spec.contextWindow();
      this.cassetteRef = spec.cassetteRef();
      this.direct = spec.direct();
    }

    public Builder provider(ModelProvider provider) {
      this.provider = provider;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder apiKeySecretRef(SecretKeyRef apiKeySecretRef) {
      this.apiKeySecretRef = apiKeySecretRef;
      return this;
    }

    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder maxOutputTokens(Integer maxOutputTokens) {
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    public Builder contextWindow(Integer contextWindow) {
      this.contextWindow = contextWindow;
      return this;
    }

    public Builder cassetteRef(ConfigMapKeyRef cassetteRef) {
      this.cassetteRef = cassetteRef;
      return this;
    }

    public Builder direct(Boolean direct) {
      this.direct = direct;
      return this;
    }

    public ModelSpec build() {
      return new ModelSpec(
          provider,
          baseUrl,
          name,
          apiKeySecretRef,
          temperature,
          maxOutputTokens,
          contextWindow,
          cassetteRef,
          direct);
    }
  }
}
