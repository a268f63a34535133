package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Helm chart installs what a platform team expects, in every supported shape. */
class HelmChartTest {

  static final Path CHART = Path.of("../charts/agent-operator");

  @Test
  void shouldPassStrictLint() {
    LintResult result = new Helm(CHART).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void shouldRenderDefaultsIntoTypedObjectsWithClusterWideRbac() {
    List<HasMetadata> objects = render(Map.of());

    assertThat(kinds(operatorObjects(objects)))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Deployment",
            "Service",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    assertThat(kinds(gatewayObjects(objects)))
        .containsExactlyInAnyOrder(
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service");
    assertThat(objects).noneMatch(o -> o instanceof GenericKubernetesResource);
    Deployment deployment = only(objects, Deployment.class);
    assertThat(env(deployment)).containsEntry("AGENT_OPERATOR_LEADER_ELECTION", "false");
    assertThat(env(deployment)).containsEntry("AGENT_OPERATOR_NAMESPACES", "");
  }

  @Test
  void shouldRunTheOperatorUnderTheRestrictedPodSecurityStandard() {
    Deployment deployment = only(render(Map.of()), Deployment.class);

    assertThat(RestrictedPodSecurity.violations(deployment.getSpec().getTemplate().getSpec()))
        .isEmpty();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
  }

  @Test
  void shouldGrantRolesPerNamespaceWhenWatchingNamespaces() {
    List<HasMetadata> objects =
        render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

    assertThat(kinds(objects)).doesNotContain("ClusterRole", "ClusterRoleBinding");
    assertThat(
            operatorObjects(objects).stream()
                .filter(Role.class::isInstance)
                .map(o -> o.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(env(only(objects, Deployment.class)))
        .containsEntry("AGENT_OPERATOR_NAMESPACES", "team-a,team-b");
  }

  @Test
  void shouldRenderAServiceMonitorWhenEnabled() {
    List<HasMetadata> objects = render(Map.of("metrics.serviceMonitor.enabled", "true"));

    assertThat(objects)
        .filteredOn(o -> "ServiceMonitor".equals(o.getKind()))
        .singleElement()
        .satisfies(o -> assertThat(o.getApiVersion()).isEqualTo("monitoring.coreos.com/v1"));
  }

  @Test
  void shouldElectALeaderAndGuardAvailabilityWithTwoReplicas() {
    List<HasMetadata> objects =
        render(Map.of("replicas", "2", "podDisruptionBudget.enabled", "true"));

    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(deployment)).containsEntry("AGENT_OPERATOR_LEADER_ELECTION", "true");
    assertThat(kinds(objects)).contains("PodDisruptionBudget");
    assertThat(objects)
        .filteredOn(o -> o instanceof Role)
        .singleElement()
        .satisfies(
            role ->
                assertThat(((Role) role).getRules().getFirst().getResources())
                    .containsExactly("leases"));
  }

  @Test
  void shouldNeverGrantWildcards() {
    for (HasMetadata object : render(Map.of())) {
      if (object instanceof ClusterRole role) {
        role.getRules()
            .forEach(
                rule -> {
                  assertThat(rule.getVerbs()).doesNotContain("*");
                  assertThat(rule.getResources()).doesNotContain("*");
                  assertThat(rule.getApiGroups()).doesNotContain("*");
                });
      }
    }
  }

  @Test
  void shouldDocumentEveryValue() throws IOException {
    assertThat(undocumentedValues(Files.readAllLines(CHART.resolve("values.yaml"))))
        .as("values.yaml keys without a comment above them (or above an enclosing key)")
        .isEmpty();
  }

  static List<HasMetadata> render(Map<String, String> values) {
    TemplateCommand template = new Helm(CHART).template().withName("agents").withNamespace("agent-system");
    values.forEach(template::set);
    String rendered = template.call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : rendered.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(document));
      }
    }
    return objects;
  }

  static List<HasMetadata> gatewayObjects(List<HasMetadata> objects) {
    return objects.stream().filter(HelmChartTest::isGateway).toList();
  }

  static List<HasMetadata> operatorObjects(List<HasMetadata> objects) {
    return objects.stream().filter(o -> !isGateway(o)).toList();
  }

  private static boolean isGateway(HasMetadata object) {
    return object.getMetadata().getLabels() != null
        && "agent-gateway".equals(object.getMetadata().getLabels().get("app.kubernetes.io/name"));
  }

  private static List<String> kinds(List<HasMetadata> objects) {
    return objects.stream().map(HasMetadata::getKind).toList();
  }

  /** The one object of {@code type} that is the operator's (the gateway's objects left out). */
  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching =
        operatorObjects(objects).stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as(type.getSimpleName()).hasSize(1);
    return matching.getFirst();
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(e -> e.getName(), e -> e.getValue()));
  }

  /**
   * A key is documented when a comment line stands right above it or above a key that encloses
   * it; a key that only groups others (a mapping with no comment) needs its children documented.
   */
  static List<String> undocumentedValues(List<String> lines) {
    Pattern key = Pattern.compile("^(\\s*)([A-Za-z][\\w-]*):(.*)$");
    record Open(int indent, boolean documented) {}
    Deque<Open> enclosing = new ArrayDeque<>();
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = key.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int indent = m.group(1).length();
      while (!enclosing.isEmpty() && enclosing.peek().indent() >= indent) {
        enclosing.pop();
      }
      boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
      boolean insideDocumented = enclosing.stream().anyMatch(Open::documented);
      boolean groupsOthers = m.group(3).isBlank();
      if (!commented && !insideDocumented && !groupsOthers) {
        undocumented.add("line " + (i + 1) + ": " + m.group(2));
      }
      enclosing.push(new Open(indent, commented || insideDocumented));
    }
    return undocumented;
  }

  @Test
  void shouldShipTheSameCrdsAsTheRepository() throws IOException {
    try (Stream<Path> crds = Files.list(Path.of("../crds"))) {
      for (Path crd : crds.toList()) {
        assertThat(CHART.resolve("crds").resolve(crd.getFileName()))
            .as("the chart's copy of %s; refresh with"
                + " ./mvnw -pl operator test -Dtest=CrdDriftTest -Dcrds.refresh=true", crd)
            .hasSameBinaryContentAs(crd);
      }
    }
    try (Stream<Path> chartCrds = Files.list(CHART.resolve("crds"))) {
      assertThat(chartCrds.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(Arrays.stream(Path.of("../crds").toFile().list()).sorted().toList());
    }
  }
}
