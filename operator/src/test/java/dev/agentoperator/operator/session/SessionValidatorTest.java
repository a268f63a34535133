package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the session reconciler refuses with {@code Accepted=False} (reason InvalidSpec) where no CRD
 * schema ran, as on the local cluster.
 */
class SessionValidatorTest {

  @Test
  void shouldRefuseAPolicyPatternWithAnUnbalancedBracketNamingTheFieldAndThePattern() {
    AgentSessionSpec spec =
        AgentSessionSpec.builder()
            .model(ModelSpec.builder().provider(ModelProvider.openai).name("gpt-4o-mini").build())
            .tools(new ToolPolicySpec(List.of("read_file", "read_file:["), null, null))
            .build();

    assertThat(SessionValidator.problems(spec))
        .singleElement()
        .asString()
        .startsWith("spec.tools.allow[1]: tool policy pattern 'read_file:[' has a '[' at character 11")
        .contains("write '?' to match any one character");
  }
}
