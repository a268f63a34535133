package dev.agentoperator.operator.testing;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.RunLimitsSpec;
import dev.agentoperator.operator.api.v1alpha1.SecretKeyRef;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** AgentSessions and AgentRuns as the whole-operator tests write them. */
public final class Resources {

  private Resources() {}

  /** A session allowing everything but asking before {@code git push}. */
  public static AgentSessionSpec sessionSpec() {
    return AgentSessionSpec.builder()
        .model(ModelSpec.builder()
            .provider(ModelProvider.openai)
            .name("gpt-4o-mini")
            .apiKeySecretRef(new SecretKeyRef("model-key", "apiKey"))
            .build())
        .tools(new ToolPolicySpec(List.of("*"), List.of("shell:git push*"), null))
        .build();
  }

  public static AgentSession session(String name) {
    AgentSession session = new AgentSession();
    session.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(OperatorHarness.NAMESPACE).build());
    session.setSpec(sessionSpec());
    return session;
  }

  public static AgentRun run(String name, String session, String prompt) {
    return run(
        name,
        AgentRunSpec.builder().sessionRef(new SessionRef(session)).prompt(prompt).build());
  }

  public static AgentRun runWithTimeout(
      String name, String session, String prompt, String timeout) {
    return run(
        name,
        AgentRunSpec.builder()
            .sessionRef(new SessionRef(session))
            .prompt(prompt)
            .limits(RunLimitsSpec.builder().timeout(timeout).build())
            .build());
  }

  public static AgentRun runWithTools(
      String name, String session, String prompt, ToolPolicySpec tools) {
    return run(
        name,
        AgentRunSpec.builder()
            .sessionRef(new SessionRef(session))
            .prompt(prompt)
            .tools(tools)
            .build());
  }

  public static AgentRun run(String name, AgentRunSpec spec) {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(OperatorHarness.NAMESPACE).build());
    run.setSpec(spec);
    return run;
  }

  /** The same spec with {@code cancel: true}. */
  public static AgentRunSpec withCancel(AgentRunSpec s) {
    return s.toBuilder().cancel(true).build();
  }

  /** The same spec with these approvals. */
  public static AgentRunSpec withApprovals(AgentRunSpec s, List<Approval> approvals) {
    return s.toBuilder().approvals(approvals).build();
  }
}
