package dev.agentoperator.operator.deploy;

import static dev.agentoperator.operator.testing.OperatorHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.Approval;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.ConfigMapKeyRef;
import dev.agentoperator.operator.api.v1alpha1.EgressRule;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.SandboxSpec;
import dev.agentoperator.operator.api.v1alpha1.WorkspaceSpec;
import dev.agentoperator.operator.testing.ApiCall;
import dev.agentoperator.operator.testing.OperatorHarness;
import dev.agentoperator.operator.testing.Resources;
import dev.agentoperator.operator.testing.RunScript;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven: the operator is driven through every feature that needs a permission
 * (sessions, their pods, claims, token Secrets and NetworkPolicies; runs with approvals, cancel by
 * deletion, ephemeral sessions with a cassette and a TTL; egress and size changes; suspend), the
 * mock API server's request log gives the (group, resource, verb) it actually sent, and that set
 * must equal what the Helm chart grants: nothing missing, nothing unused, no wildcard.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRbacTest {

  /**
   * Grants no request shows: setting {@code blockOwnerDeletion} on an owned object needs update on
   * the owner's finalizers under the OwnerReferencesPermissionEnforcement admission plugin.
   */
  static final Set<String> IMPLIED_BY_ADMISSION =
      Set.of(
          "update agentoperator.dev/agentsessions/finalizers",
          "update agentoperator.dev/agentruns/finalizers");

  /**
   * Grants used only on some interleavings: JOSDK re-reads a primary resource when a write of it
   * meets a newer version, which a scenario cannot provoke on demand.
   */
  static final Set<String> ON_CONFLICT_ONLY =
      Set.of("get agentoperator.dev/agentruns", "get agentoperator.dev/agentsessions");

  KubernetesMockServer server;
  KubernetesClient client;
  private OperatorHarness harness;

  @BeforeEach
  void startOperator() throws Exception {
    harness = new OperatorHarness(server, client, OperatorRbacTest::script).start();
    harness.createModelKeySecret();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  static RunScript script(String prompt) {
    if (prompt.contains("forever")) {
      return RunScript.longRunning();
    }
    if (prompt.contains("approval")) {
      return RunScript.steps(3).withApprovalAtStep(2);
    }
    return RunScript.steps(2).withResult("done");
  }

  @Test
  void shouldGrantExactlyTheCallsTheOperatorMakes() throws Exception {
    harness.create(Resources.session("dev"));
    harness.awaitSandboxRunning("dev");

    runWithAnApproval();
    deleteAnActiveRun();
    runInAnEphemeralReplaySessionWithATtl();
    changeEgressGrowTheWorkspaceThenSuspend();

    Set<String> used =
        harness.operatorRequests().stream()
            .filter(c -> !isProcessWide(c))
            .map(OperatorRbacTest::triple)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> granted = granted(ApiCall.rbacRules());
    granted.removeAll(IMPLIED_BY_ADMISSION);
    used.addAll(ON_CONFLICT_ONLY);

    assertThat(used).as("calls the operator made that the chart does not grant").isSubsetOf(granted);
    assertThat(granted).as("grants in the chart the operator never used").isSubsetOf(used);
  }

  private void runWithAnApproval() {
    harness.create(Resources.run("push", "dev", "push after approval"));
    awaitRun("push", r -> phase(r) == AgentRunPhase.AwaitingApproval);
    editRun(
        "push",
        spec ->
            Resources.withApprovals(
                spec, List.of(new Approval("approval-2", ApprovalDecision.approve, "ok", "alice"))));
    awaitRun("push", r -> phase(r) == AgentRunPhase.Succeeded);
  }

  private void deleteAnActiveRun() {
    harness.create(Resources.run("doomed", "dev", "work forever"));
    awaitRun("doomed", r -> phase(r) == AgentRunPhase.Running);
    client.resources(AgentRun.class).inNamespace(NAMESPACE).withName("doomed").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.run("doomed") == null);
  }

  private void runInAnEphemeralReplaySessionWithATtl() {
    client
        .configMaps()
        .inNamespace(NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cassette")
                .endMetadata()
                .addToData("cassette.yaml", "turns: [{content: done}]\n")
                .build())
        .create();
    AgentSessionSpec replay =
        AgentSessionSpec.builder()
            .model(ModelSpec.builder()
                .provider(ModelProvider.replay)
                .cassetteRef(new ConfigMapKeyRef("cassette", "cassette.yaml"))
                .build())
            .tools(Resources.sessionSpec().tools())
            .build();
    harness.create(
        Resources.run(
            "oneshot",
            AgentRunSpec.builder()
                .sessionTemplate(replay)
                .prompt("say done")
                .ttlSecondsAfterFinished(1L)
                .build()));
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.run("oneshot") == null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> session("oneshot-session") == null);
  }

  private void changeEgressGrowTheWorkspaceThenSuspend() {
    editSession(
        spec ->
            spec.toBuilder()
                .workspace(new WorkspaceSpec("5Gi", null, null))
                .sandbox(
                    SandboxSpec.builder()
                        .egress(List.of(new EgressRule("10.20.0.0/16", List.of(443))))
                        .build())
                .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.network().networkPolicies().inNamespace(NAMESPACE).list().getItems().stream()
                    .anyMatch(p -> p.toString().contains("10.20.0.0/16")));
    editSession(
        spec -> spec.toBuilder().suspend(true).build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace(NAMESPACE).withName("dev-sandbox").get() == null);
  }

  /** Leader election asks for leases and a rules review in its own namespace; see the chart. */
  private static boolean isProcessWide(ApiCall call) {
    return call.group().equals("coordination.k8s.io") || call.group().equals("authorization.k8s.io");
  }

  private static String triple(ApiCall call) {
    return "%s %s/%s".formatted(call.verb(), call.group().isEmpty() ? "core" : call.group(), call.resource());
  }


  static Set<String> granted(List<PolicyRule> rules) {
    Set<String> granted = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            assertThat(List.of(group, resource, verb)).as("wildcard in %s", rule).doesNotContain("*");
            granted.add("%s %s/%s".formatted(verb, group.isEmpty() ? "core" : group, resource));
          }
        }
      }
    }
    return granted;
  }

  private AgentRun awaitRun(String name, Predicate<AgentRun> condition) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.run(name) != null && condition.test(harness.run(name)));
    return harness.run(name);
  }

  private static AgentRunPhase phase(AgentRun run) {
    return run.getStatus() == null ? null : run.getStatus().getPhase();
  }

  private AgentSession session(String name) {
    return client.resources(AgentSession.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private void editRun(String name, UnaryOperator<AgentRunSpec> change) {
    client
        .resources(AgentRun.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .edit(
            r -> {
              r.setSpec(change.apply(r.getSpec()));
              return r;
            });
  }

  /** Edits the session's spec, again on a fresh copy when the operator wrote its status meanwhile. */
  private void editSession(UnaryOperator<AgentSessionSpec> change) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(KubernetesClientException.class)
        .until(
            () -> {
              AgentSession session = session("dev");
              session.setSpec(change.apply(session.getSpec()));
              client.resource(session).update();
              return true;
            });
  }
}
