package dev.agentoperator.operator.run;

import dev.agentoperator.contract.policy.PolicyPattern;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.McpServer;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ToolPolicySpec;
import dev.agentoperator.operator.session.SessionValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Checks what the CRD schema cannot: the session exists (or the template is usable), referenced
 * Secrets and ConfigMaps exist, tool patterns parse, and the run's policy only narrows the
 * session's. Each problem is a sentence that says what to fix.
 */
public final class RunValidator {

  /** Looks up whether an object of a kind ({@code Secret}, {@code ConfigMap}) exists by name. */
  public interface References {
    boolean secretExists(String namespace, String name);

    boolean configMapExists(String namespace, String name);
  }

  private final References references;

  public RunValidator(References references) {
    this.references = references;
  }

  /**
   * The problems of {@code run} given its session ({@code null} when a referenced session does not
   * exist); empty when the run can be accepted.
   */
  public List<String> problems(AgentRun run, AgentSession referencedSession) {
    List<String> problems = new ArrayList<>();
    String namespace = run.getMetadata().getNamespace();
    var spec = run.getSpec();
    AgentSessionSpec sessionSpec;
    if (spec.sessionRef() != null) {
      if (referencedSession == null) {
        problems.add(
            "AgentSession '"
                + spec.sessionRef().name()
                + "' does not exist in namespace "
                + namespace
                + "; create it or correct spec.sessionRef.name");
        return problems;
      }
      sessionSpec = referencedSession.getSpec();
    } else {
      sessionSpec = spec.sessionTemplate();
      checkTemplate(sessionSpec, problems);
    }
    if (spec.sessionTemplate() != null && sessionSpec != null) {
      // A referenced session's own Secrets are the session's concern (its pod reports them); the
      // run answers for the references it brings itself.
      checkReferences(namespace, sessionSpec, false, problems);
    }
    if (sessionSpec != null) {
      checkPolicy(
          spec.tools(),
          sessionSpec.tools(),
          spec.sessionRef() != null
              ? "AgentSession '" + spec.sessionRef().name() + "'"
              : "spec.sessionTemplate",
          problems);
    }
    if (spec.limits() != null) {
      SessionValidator.checkDuration(spec.limits().timeout(), "spec.limits.timeout", problems);
    }
    if (sessionSpec != null) {
      checkMcpServers(spec.mcpServers(), sessionSpec, problems);
    }
    return problems;
  }

  /** A run may only narrow the session's MCP servers: every name it gives must be one of them. */
  private static void checkMcpServers(
      List<String> names, AgentSessionSpec session, List<String> problems) {
    if (names == null) {
      return;
    }
    List<String> known =
        session.mcpServers() == null
            ? List.of()
            : session.mcpServers().stream().map(McpServer::name).toList();
    for (int i = 0; i < names.size(); i++) {
      if (!known.contains(names.get(i))) {
        problems.add(
            "spec.mcpServers["
                + i
                + "] '"
                + names.get(i)
                + "' is not an MCP server of the session"
                + (known.isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", known) + ")"));
      }
    }
  }

  private static void checkTemplate(AgentSessionSpec template, List<String> problems) {
    if (template == null || template.model() == null) {
      problems.add("spec.sessionTemplate.model is required; name the model the agent talks to");
      return;
    }
    problems.addAll(SessionValidator.problems(template, "spec.sessionTemplate."));
  }

  private void checkReferences(
      String namespace, AgentSessionSpec session, boolean referenced, List<String> problems) {
    String prefix = referenced ? "the session's spec." : "spec.sessionTemplate.";
    var model = session.model();
    if (model != null && model.apiKeySecretRef() != null) {
      requireExists(
          references::secretExists,
          namespace,
          "Secret",
          model.apiKeySecretRef().name(),
          prefix + "model.apiKeySecretRef",
          problems);
    }
    if (model != null && model.cassetteRef() != null) {
      requireExists(
          references::configMapExists,
          namespace,
          "ConfigMap",
          model.cassetteRef().name(),
          prefix + "model.cassetteRef",
          problems);
    }
    var workspace = session.workspace();
    if (workspace != null
        && workspace.git() != null
        && workspace.git().credentialsSecretRef() != null) {
      requireExists(
          references::secretExists,
          namespace,
          "Secret",
          workspace.git().credentialsSecretRef().name(),
          prefix + "workspace.git.credentialsSecretRef",
          problems);
    }
  }

  private static void requireExists(
      BiPredicate<String, String> exists,
      String namespace,
      String kind,
      String name,
      String field,
      List<String> problems) {
    if (!exists.test(namespace, name)) {
      problems.add(
          kind
              + " '"
              + name
              + "' named by "
              + field
              + " does not exist in namespace "
              + namespace
              + "; create it or correct the reference");
    }
  }

  private static void checkPolicy(
      ToolPolicySpec run, ToolPolicySpec session, String sessionName, List<String> problems) {
    if (run == null) {
      return;
    }
    int before = problems.size();
    List<PolicyPattern> allow = parseList("spec.tools.allow", run.allow(), problems);
    List<PolicyPattern> ask = parseList("spec.tools.ask", run.ask(), problems);
    parseList("spec.tools.deny", run.deny(), problems);
    if (problems.size() > before) {
      return;
    }
    List<PolicyPattern> sessionAllow =
        parseList("", session == null ? null : session.allow(), new ArrayList<>());
    List<PolicyPattern> sessionAsk =
        parseList("", session == null ? null : session.ask(), new ArrayList<>());
    for (PolicyPattern pattern : allow) {
      if (sessionAllow.stream().noneMatch(p -> p.covers(pattern))) {
        problems.add(
            "spec.tools.allow '"
                + pattern
                + "' is not allowed by "
                + sessionName
                + "'s tools.allow; a run may only narrow its session's policy: remove it or move it"
                + " to spec.tools.ask if the session asks for it");
      }
    }
    for (PolicyPattern pattern : ask) {
      boolean covered =
          sessionAllow.stream().anyMatch(p -> p.covers(pattern))
              || sessionAsk.stream().anyMatch(p -> p.covers(pattern));
      if (!covered) {
        problems.add(
            "spec.tools.ask '"
                + pattern
                + "' is not covered by "
                + sessionName
                + "'s tools.allow or tools.ask; a run may only narrow its session's policy:"
                + " remove it");
      }
    }
  }

  private static List<PolicyPattern> parseList(
      String field, List<String> patterns, List<String> problems) {
    List<PolicyPattern> parsed = new ArrayList<>();
    if (patterns == null) {
      return parsed;
    }
    for (int i = 0; i < patterns.size(); i++) {
      Optional<String> problem = PolicyPattern.problem(patterns.get(i));
      if (problem.isPresent()) {
        problems.add(field + "[" + i + "]: " + problem.get());
      } else {
        parsed.add(PolicyPattern.parse(patterns.get(i)));
      }
    }
    return parsed;
  }
}
