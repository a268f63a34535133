package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * With the gateway on, the provider key is in no sandbox pod: no env, no envFrom, no volume of any
 * container names its Secret; the gateway token reaches the runner container only; and the pod's
 * egress has no route to the internet.
 */
class GatewayKeyContainmentTest {

  private static final Path CASES = Path.of("src/test/resources/desired");
  private static final OperatorConfig GATEWAY =
      OperatorConfig.fromEnv(
          Map.of("AGENT_OPERATOR_GATEWAY_URL", "http://agent-gateway.agent-system.svc:8090"));

  @Test
  void shouldKeepTheModelKeyOutOfEveryGoldenSessionsPodWhenTheGatewayIsOn() throws IOException {
    List<AgentSession> sessions = goldenOpenAiSessions();
    assertThat(sessions).hasSizeGreaterThanOrEqualTo(3);
    for (AgentSession session : sessions) {
      Pod pod = SandboxPod.desired(session, GATEWAY);
      String keySecret = session.getSpec().model().apiKeySecretRef().name();

      assertThat(secretsReferencedBy(pod))
          .as("Secrets the pod of %s references", session.getMetadata().getName())
          .doesNotContain(keySecret);
      assertThat(Serialization.asYaml(pod))
          .doesNotContain("name: \"" + keySecret + "\"")
          .doesNotContain("secretName: \"" + keySecret + "\"");
      assertThat(containersWithEnvFrom(pod, SessionNames.gatewayTokenSecret(name(session))))
          .containsExactly(SandboxPod.RUNNER_CONTAINER);
      assertThat(env(pod, SandboxPod.RUNNER_CONTAINER, "AGENT_MODEL_BASE_URL"))
          .isEqualTo("http://agent-gateway.agent-system.svc:8090/v1");
    }
  }

  @Test
  void shouldGiveAGatewaySessionNoInternetEgressAndTheGatewayPortOnly() throws IOException {
    for (AgentSession session : goldenOpenAiSessions()) {
      NetworkPolicy policy = SandboxNetworkPolicy.desired(session, GATEWAY);

      assertThat(Serialization.asYaml(policy)).doesNotContain("0.0.0.0/0");
      assertThat(policy.getSpec().getEgress())
          .anySatisfy(
              rule -> {
                assertThat(rule.getTo()).isNotEmpty();
                assertThat(rule.getTo().getFirst().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", "agent-gateway");
                assertThat(rule.getPorts().getFirst().getPort().getIntVal()).isEqualTo(8090);
              });
    }
  }

  @Test
  void shouldKeepTheDirectPathWhenTheSessionAsksForIt() throws IOException {
    AgentSession direct =
        Serialization.unmarshal(
            Files.readString(CASES.resolve("gateway-direct/in-AgentSession.yaml")),
            AgentSession.class);

    Pod pod = SandboxPod.desired(direct, GATEWAY);

    assertThat(direct.getSpec().model().direct()).isTrue();
    assertThat(GatewayTokenSecret.usesGateway(direct, GATEWAY)).isFalse();
    assertThat(containersWithEnvFrom(pod, direct.getSpec().model().apiKeySecretRef().name()))
        .containsExactly(SandboxPod.RUNNER_CONTAINER);
    assertThat(Serialization.asYaml(SandboxNetworkPolicy.desired(direct, GATEWAY)))
        .contains("0.0.0.0/0");
  }

  private static List<AgentSession> goldenOpenAiSessions() throws IOException {
    List<AgentSession> sessions = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(CASES)) {
      for (Path dir : dirs.sorted().toList()) {
        AgentSession session =
            Serialization.unmarshal(
                Files.readString(dir.resolve("in-AgentSession.yaml")), AgentSession.class);
        if (GatewayTokenSecret.usesGateway(session, GATEWAY)
            && session.getSpec().model().apiKeySecretRef() != null) {
          sessions.add(session);
        }
      }
    }
    return sessions;
  }

  private static List<String> secretsReferencedBy(Pod pod) {
    List<String> names = new ArrayList<>();
    for (Container c : containers(pod)) {
      for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          names.add(e.getValueFrom().getSecretKeyRef().getName());
        }
      }
      if (c.getEnvFrom() != null) {
        c.getEnvFrom().stream()
            .filter(f -> f.getSecretRef() != null)
            .forEach(f -> names.add(f.getSecretRef().getName()));
      }
    }
    pod.getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null)
        .forEach(v -> names.add(v.getSecret().getSecretName()));
    pod.getSpec().getVolumes().stream()
        .filter(v -> v.getProjected() != null)
        .flatMap(v -> v.getProjected().getSources().stream())
        .filter(s -> s.getSecret() != null)
        .forEach(s -> names.add(s.getSecret().getName()));
    return names;
  }

  private static List<String> containersWithEnvFrom(Pod pod, String secret) {
    return containers(pod).stream()
        .filter(
            c ->
                c.getEnv() != null
                    && c.getEnv().stream()
                        .anyMatch(
                            e ->
                                e.getValueFrom() != null
                                    && e.getValueFrom().getSecretKeyRef() != null
                                    && secret.equals(e.getValueFrom().getSecretKeyRef().getName())))
        .map(Container::getName)
        .toList();
  }

  private static String env(Pod pod, String container, String name) {
    return containers(pod).stream()
        .filter(c -> c.getName().equals(container))
        .flatMap(c -> c.getEnv().stream())
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static List<Container> containers(Pod pod) {
    List<Container> all = new ArrayList<>(pod.getSpec().getInitContainers());
    all.addAll(pod.getSpec().getContainers());
    return all;
  }

  private static String name(AgentSession session) {
    return session.getMetadata().getName();
  }
}
