package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.policy.Verdict;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.operator.testing.Resources;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tool policy the operator sends: never absent, and an empty one denies everything. */
class RunRequestsTest {

  @Test
  void shouldSendAnExplicitDenyAllPolicyWhenNeitherRunNorSessionHasOne() {
    RunRequest.Tools tools = RunRequests.effectiveTools(null, null);

    assertThat(tools).isEqualTo(new RunRequest.Tools(List.of(), List.of(), List.of()));
    assertThat(Serialization.asJson(tools)).isEqualTo("{\"allow\":[],\"ask\":[],\"deny\":[]}");
    ToolPolicy enforced = ToolPolicy.of(tools.allow(), tools.ask(), tools.deny());
    for (String tool : List.of("shell", "write_file", "git_push", "mcp__github__merge")) {
      assertThat(enforced.decide(tool, "x").verdict()).isEqualTo(Verdict.DENY);
    }
  }

  @Test
  void shouldUseTheRunsNarrowingAndKeepTheSessionsDeny() {
    var session =
        new dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec(
            List.of("*"), List.of("shell:git push*"), List.of("shell:rm *"));
    var run =
        new dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec(
            List.of("read_file"), null, List.of("web_fetch"));

    RunRequest.Tools tools = RunRequests.effectiveTools(run, session);

    assertThat(tools.allow()).containsExactly("read_file");
    assertThat(tools.ask()).isEmpty();
    assertThat(tools.deny()).containsExactly("shell:rm *", "web_fetch");
  }

  @Test
  void shouldRefuseToBuildARequestWithoutTheSession() {
    var run = Resources.run("r", "dev", "do it");

    assertThatThrownBy(() -> RunRequests.build(run, null, false))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("session's spec");
  }

  @Test
  void shouldPassTheRunsMcpNarrowingAndLeaveItOutWhenUnset() {
    var session = AgentSessionSpec.builder().build();
    var narrowed =
        Serialization.unmarshal(
            """
            apiVersion: agentoperator.dev/v1alpha1
            kind: AgentRun
            metadata: {name: r, namespace: dev}
            spec:
              sessionRef: {name: s}
              prompt: do it
              mcpServers: [notes]
            """,
            AgentRun.class);

    RunRequest request = RunRequests.build(narrowed, session, false);
    RunRequest all = RunRequests.build(Resources.run("r", "dev", "do it"), session, false);

    assertThat(request.mcpServers()).containsExactly("notes");
    assertThat(request.asResume().mcpServers()).containsExactly("notes");
    assertThat(Serialization.asJson(all)).doesNotContain("mcpServers");
  }
}
