package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.SecretKeyRef;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunValidatorTest {

  private final Set<String> secrets = Set.of("openai");
  private final RunValidator validator =
      new RunValidator(
          new RunValidator.References() {
            @Override
            public boolean secretExists(String namespace, String name) {
              return secrets.contains(name);
            }

            @Override
            public boolean configMapExists(String namespace, String name) {
              return false;
            }
          });

  @Test
  void shouldAcceptARunThatNarrowsItsSessionsPolicy() {
    AgentSession session =
        session(
            new ToolPolicySpec(List.of("shell", "read_file"), List.of("shell:git push*"), null),
            "openai");
    AgentRun run =
        run(
            new ToolPolicySpec(
                List.of("shell:npm test*"),
                List.of("shell:git push origin*"),
                List.of("web_fetch")));

    assertThat(validator.problems(run, session)).isEmpty();
  }

  @Test
  void shouldLetARunNarrowAnMcpServerGlobButNotWidenIt() {
    AgentSession session = session(new ToolPolicySpec(List.of("mcp__github__*"), null, null), "openai");

    assertThat(
            validator.problems(
                run(new ToolPolicySpec(List.of("mcp__github__create_pull_request"), null, null)),
                session))
        .isEmpty();
    assertThat(validator.problems(run(new ToolPolicySpec(List.of("mcp__*"), null, null)), session))
        .singleElement()
        .asString()
        .contains("spec.tools.allow 'mcp__*' is not allowed");
  }

  @Test
  void shouldRejectAnInvalidToolNameWithTheSameRuleTheRunnerEnforces() {
    AgentRun run = run(new ToolPolicySpec(List.of("sh ell"), null, List.of("sh*ll")));

    assertThat(validator.problems(run, session(new ToolPolicySpec(List.of("*"), null, null), "openai")))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("spec.tools.allow[0]: ").contains("'sh ell'"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.tools.deny[0]: ").contains("'sh*ll'"));
  }

  @Test
  void shouldRejectAPatternWithAnUnbalancedBracketInTheRunsAndTheTemplatesPolicy() {
    AgentRun run = run(new ToolPolicySpec(List.of("read_file:["), null, null));
    AgentRun templated = run(null);
    templated.setSpec(
        AgentRunSpec.builder()
            .sessionTemplate(
                session(new ToolPolicySpec(null, null, List.of("shell:rm -rf [")), "openai")
                    .getSpec())
            .prompt("do it")
            .build());
    AgentSession session = session(new ToolPolicySpec(List.of("*"), null, null), "openai");

    assertThat(validator.problems(run, session))
        .singleElement()
        .asString()
        .startsWith("spec.tools.allow[0]: tool policy pattern 'read_file:[' has a '['");
    assertThat(validator.problems(templated, null))
        .singleElement()
        .asString()
        .startsWith("spec.sessionTemplate.tools.deny[0]: tool policy pattern 'shell:rm -rf ['");
  }

  @Test
  void shouldRejectAnAllowPatternTheSessionDoesNotAllowAndSayWhatToFix() {
    AgentSession session =
        session(new ToolPolicySpec(List.of("read_file"), List.of("shell:git push*"), null), "openai");
    AgentRun run = run(new ToolPolicySpec(List.of("shell"), List.of("web_fetch"), null));

    assertThat(validator.problems(run, session))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("spec.tools.allow 'shell'").contains("remove it"))
        .anySatisfy(p -> assertThat(p).contains("spec.tools.ask 'web_fetch'"));
  }

  @Test
  void shouldRejectUnparsablePatternsMissingSessionAndMissingSecret() {
    AgentRun bad = run(new ToolPolicySpec(List.of("shell:"), null, null));
    assertThat(validator.problems(bad, session(null, "openai")))
        .singleElement()
        .asString()
        .contains("spec.tools.allow[0]");

    assertThat(validator.problems(run(null), null))
        .singleElement()
        .asString()
        .contains("AgentSession 'dev' does not exist")
        .contains("spec.sessionRef.name");

    AgentRun template = run(null);
    template.setSpec(
        AgentRunSpec.builder()
            .sessionTemplate(session(null, "missing").getSpec())
            .prompt("do it")
            .build());
    assertThat(validator.problems(template, null))
        .singleElement()
        .asString()
        .contains("Secret 'missing'")
        .contains("spec.sessionTemplate.model.apiKeySecretRef");
  }

  static AgentSession session(ToolPolicySpec tools, String secret) {
    AgentSession session = new AgentSession();
    session.setMetadata(new ObjectMetaBuilder().withName("dev").withNamespace("ns").build());
    session.setSpec(
        AgentSessionSpec.builder()
            .model(ModelSpec.builder()
                .provider(ModelProvider.openai)
                .name("gpt")
                .apiKeySecretRef(new SecretKeyRef(secret, "key"))
                .build())
            .tools(tools)
            .build());
    return session;
  }

  static AgentRun run(ToolPolicySpec tools) {
    AgentRun run = new AgentRun();
    run.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("ns").build());
    run.setSpec(
        AgentRunSpec.builder()
            .sessionRef(new SessionRef("dev"))
            .prompt("do it")
            .tools(tools)
            .build());
    return run;
  }
}
