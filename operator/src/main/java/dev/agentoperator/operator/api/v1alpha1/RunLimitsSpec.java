package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds that end a run. The first one reached ends it, with a reason naming it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunLimitsSpec(
    @Min(1)
    @Max(10_000)
    @JsonPropertyDescription(
        "Most model calls (steps) the run may make; reaching it fails the run with reason"
            + " MaxStepsExceeded. Default: 50.")
    Integer maxSteps,
    @Min(1)
    @Max(1_000_000_000)
    @JsonPropertyDescription(
        "Most tokens (input plus output, summed over all calls) the run may use; reaching it fails"
            + " the run with reason MaxTokensExceeded.")
    Long maxTokens,
    @Pattern(Patterns.DURATION)
    @Size(max = 32)
    @ValidationRule(
        value = Patterns.POSITIVE_DURATION_RULE,
        message = "limits.timeout must be longer than zero, e.g. 30m or 1h30m")
    @JsonPropertyDescription(
        "Wall-clock bound from the run's start, e.g. `30m` or `1h30m`; reaching it ends the run as"
            + " TimedOut. A run whose sandbox never becomes ready fails (SandboxUnavailable) once"
            + " this long has passed since its creation. Default: `1h`.")
    String timeout,
    @Min(1)
    @Max(100_000)
    @JsonPropertyDescription(
        "Most tool calls the run may make; reaching it fails the run with reason"
            + " MaxToolCallsExceeded.")
    Integer maxToolCalls) {

  /** An empty builder; every field starts unset. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this spec, to copy it with some fields changed. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a RunLimitsSpec by field name, so a copy carries every field. */
  public static final class Builder {
    private Integer maxSteps;
    private Long maxTokens;
    private String timeout;
    private Integer maxToolCalls;

    private Builder() {}

    private Builder(RunLimitsSpec spec) {
      this.maxSteps = spec.maxSteps();
      this.maxTokens = spec.maxTokens();
      this.timeout = spec.timeout();
      this.maxToolCalls = spec.maxToolCalls();
    }

    public Builder maxSteps(Integer maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    public Builder maxTokens(Long maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder timeout(String timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder maxToolCalls(Integer maxToolCalls) {
      this.maxToolCalls = maxToolCalls;
      return this;
    }

    public RunLimitsSpec build() {
      return new RunLimitsSpec(
          maxSteps,
          maxTokens,
          timeout,
          maxToolCalls);
    }
  }
}
