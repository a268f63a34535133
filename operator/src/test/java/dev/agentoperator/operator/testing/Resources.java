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
    return new AgentSessionSpec(
        new ModelSpec(
            ModelProvider.openai,
            null,
            "gpt-4o-mini",
            new SecretKeyRef("model-key", "apiKey"),
            null,
            null,
            null,
            null),
        null,
        null,
        null,
        new ToolPolicySpec(List.of("*"), List.of("shell:git push*"), null),
        null,
        null);
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
        new AgentRunSpec(
            new SessionRef(session), null, prompt, null, null, null, null, null, null, null));
  }

  public static AgentRun runWithTimeout(
      String name, String session, String prompt, String timeout) {
    return run(
        name,
        new AgentRunSpec(
            new SessionRef(session),
            null,
            prompt,
            null,
            new RunLimitsSpec(null, null, timeout, null),
            null,
            null,
            null,
            null,
            null));
  }

  public static AgentRun runWithTools(
      String name, String session, String prompt, ToolPolicySpec tools) {
    return run(
        name,
        new AgentRunSpec(
            new SessionRef(session), null, prompt, null, null, tools, null, null, null, null));
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
    return new AgentRunSpec(
        s.sessionRef(),
        s.sessionTemplate(),
        s.prompt(),
        s.model(),
        s.limits(),
        s.tools(),
        s.restoreSnapshot(),
        true,
        s.approvals(),
        s.ttlSecondsAfterFinished());
  }

  /** The same spec with these approvals. */
  public static AgentRunSpec withApprovals(AgentRunSpec s, List<Approval> approvals) {
    return new AgentRunSpec(
        s.sessionRef(),
        s.sessionTemplate(),
        s.prompt(),
        s.model(),
        s.limits(),
        s.tools(),
        s.restoreSnapshot(),
        s.cancel(),
        approvals,
        s.ttlSecondsAfterFinished());
  }
}
