package dev.agentoperator.operator.deploy;

import static dev.agentoperator.operator.deploy.HelmChartTest.gatewayObjects;
import static dev.agentoperator.operator.deploy.HelmChartTest.only;
import static dev.agentoperator.operator.deploy.HelmChartTest.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart's agent-gateway: its own Deployment and Service, get-only RBAC, the operator's URL. */
class GatewayChartTest {

  @Test
  void shouldDeployTheGatewayAndPointTheOperatorAtItsService() {
    List<HasMetadata> objects = render(Map.of("gateway.replicas", "2"));

    List<HasMetadata> gateway = gatewayObjects(objects);
    Deployment deployment =
        gateway.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
            .findFirst().orElseThrow();
    Service service =
        gateway.stream().filter(Service.class::isInstance).map(Service.class::cast)
            .findFirst().orElseThrow();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(container.getArgs()).containsExactly("gateway");
    assertThat(RestrictedPodSecurity.violations(deployment.getSpec().getTemplate().getSpec()))
        .isEmpty();
    assertThat(service.getSpec().getPorts().getFirst().getPort()).isEqualTo(8090);

    Map<String, String> env = env(only(objects, Deployment.class));
    OperatorConfig config = OperatorConfig.fromEnv(env);
    assertThat(config.gatewayUrl())
        .hasValue("http://agents-agent-operator-gateway.agent-system.svc:8090");
    assertThat(config.gatewayPort()).hasValue(8090);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(config.gatewayPodLabels());
    assertThat(service.getMetadata().getName() + ".agent-system.svc")
        .isEqualTo(config.gatewayUrl().orElseThrow().replaceAll("^http://|:8090$", ""));
  }

  @Test
  void shouldGrantTheGatewayGetOnlyOnSessionsAndSecrets() {
    List<PolicyRule> rules =
        gatewayObjects(render(Map.of())).stream()
            .filter(ClusterRole.class::isInstance)
            .flatMap(o -> ((ClusterRole) o).getRules().stream())
            .toList();

    assertThat(rules).hasSize(2);
    assertThat(rules).allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactly("get"));
    assertThat(rules.stream().flatMap(r -> r.getResources().stream()))
        .containsExactlyInAnyOrder("agentsessions", "secrets");
  }

  @Test
  void shouldScopeTheGatewayToTheWatchedNamespaces() {
    List<HasMetadata> gateway =
        gatewayObjects(render(Map.of("watchNamespaces[0]", "team-a")));

    assertThat(gateway).noneMatch(ClusterRole.class::isInstance);
    assertThat(gateway.stream().filter(Role.class::isInstance).map(o -> o.getMetadata().getNamespace()))
        .containsExactly("team-a");
  }

  @Test
  void shouldLeaveTheGatewayOutWhenDisabled() {
    List<HasMetadata> objects = render(Map.of("gateway.enabled", "false"));

    assertThat(gatewayObjects(objects)).isEmpty();
    assertThat(env(only(objects, Deployment.class))).doesNotContainKey("AGENT_OPERATOR_GATEWAY_URL");
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
