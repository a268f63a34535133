package dev.agentoperator.operator.dev.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ConfigMapRef;
import dev.agentoperator.operator.api.v1alpha1.McpServer;
import dev.agentoperator.operator.api.v1alpha1.McpStdio;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.SecretKeyRef;
import dev.agentoperator.operator.api.v1alpha1.SkillSource;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelOverridesTest {

  private static final ModelOverrides LOCAL_MODEL =
      new ModelOverrides(Optional.of("http://127.0.0.1:9/v1"), Optional.of("local-model"));

  private static final List<McpServer> MCP_SERVERS =
      List.of(new McpServer("files", new McpStdio("mcp-files", List.of("--root", "."), null), null));

  private static final List<SkillSource> SKILLS =
      List.of(new SkillSource("release", new ConfigMapRef("release-skill"), null));

  @Test
  void shouldKeepTheSessionsMcpServersAndSkillsWhenPointingItAtTheDevelopersModel() {
    AgentSession session = new AgentSession();
    session.setMetadata(new ObjectMetaBuilder().withName("webapp").build());
    session.setSpec(openAiSession());

    LOCAL_MODEL.apply(session);

    assertThat(session.getSpec().model().baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(session.getSpec().model().name()).isEqualTo("local-model");
    assertThat(session.getSpec().mcpServers()).isEqualTo(MCP_SERVERS);
    assertThat(session.getSpec().skills()).isEqualTo(SKILLS);
  }

  @Test
  void shouldKeepATemplatedRunsMcpServersWhenPointingItsTemplateAtTheDevelopersModel() {
    AgentRun run = new AgentRun();
    run.setMetadata(new ObjectMetaBuilder().withName("fix-tests").build());
    run.setSpec(
        AgentRunSpec.builder()
            .sessionTemplate(openAiSession())
            .prompt("fix the tests")
            .mcpServers(List.of("files"))
            .build());

    LOCAL_MODEL.apply(run);

    assertThat(run.getSpec().mcpServers()).containsExactly("files");
    assertThat(run.getSpec().sessionTemplate().model().name()).isEqualTo("local-model");
    assertThat(run.getSpec().sessionTemplate().mcpServers()).isEqualTo(MCP_SERVERS);
    assertThat(run.getSpec().sessionTemplate().skills()).isEqualTo(SKILLS);
  }

  private static AgentSessionSpec openAiSession() {
    return AgentSessionSpec.builder()
        .model(ModelSpec.builder()
            .provider(ModelProvider.openai)
            .baseUrl("https://api.openai.com/v1")
            .name("gpt-4o-mini")
            .apiKeySecretRef(new SecretKeyRef("openai-api-key", "apiKey"))
            .build())
        .tools(new ToolPolicySpec(List.of("mcp__files__*"), null, null))
        .skills(SKILLS)
        .mcpServers(MCP_SERVERS)
        .build();
  }
}
