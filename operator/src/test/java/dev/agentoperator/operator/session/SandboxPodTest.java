package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionSpec;
import dev.agentoperator.operator.api.v1alpha1.ModelProvider;
import dev.agentoperator.operator.api.v1alpha1.ModelSpec;
import dev.agentoperator.operator.api.v1alpha1.SandboxSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxPodTest {

  private final OperatorConfig config = OperatorConfig.defaults();

  @Test
  void shouldHashTheSameSpecTheSameWhateverTheMapOrder() {
    // given two sessions whose nodeSelector lists the same labels in a different order
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");

    // when / then
    assertThat(SandboxPod.specHashOf(SandboxPod.desired(session("s", "img:1", ab), config)))
        .isEqualTo(SandboxPod.specHashOf(SandboxPod.desired(session("s", "img:1", ba), config)));
  }

  @Test
  void shouldChangeTheHashWhenThePodRelevantSpecChanges() {
    String before = SandboxPod.specHashOf(SandboxPod.desired(session("s", "img:1", null), config));
    String after = SandboxPod.specHashOf(SandboxPod.desired(session("s", "img:2", null), config));

    assertThat(before).isNotBlank().isNotEqualTo(after);
  }

  @Test
  void shouldUseTheConfiguredRunnerPortForListenAddressProbesAndContainerPort() {
    var pod = SandboxPod.desired(session("s", null, null), OperatorConfig.fromEnv(Map.of("AGENT_OPERATOR_RUNNER_PORT", "18080")));

    var runner = pod.getSpec().getContainers().get(0);
    assertThat(runner.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(18080));
    assertThat(runner.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("AGENT_RUNNER_ADDRESS");
              assertThat(e.getValue()).isEqualTo("0.0.0.0:18080");
            });
    assertThat(runner.getImage()).isEqualTo(config.runnerImage());
  }

  @Test
  void shouldLetTheKubeletReportTheRunnerReadyWithinASecond() {
    Pod pod = SandboxPod.desired(session("s", null, null), OperatorConfig.defaults());
    var runner =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("runner"))
            .findFirst()
            .orElseThrow();

    assertThat(runner.getReadinessProbe().getPeriodSeconds()).isLessThanOrEqualTo(1);
    assertThat(runner.getReadinessProbe().getInitialDelaySeconds()).isZero();
  }

  static AgentSession session(String name, String image, Map<String, String> nodeSelector) {
    AgentSession session = new AgentSession();
    session.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).build());
    session.setSpec(
        AgentSessionSpec.builder()
            .model(ModelSpec.builder().provider(ModelProvider.openai).name("gpt-4o-mini").build())
            .sandbox(SandboxSpec.builder().image(image).nodeSelector(nodeSelector).build())
            .build());
    return session;
  }
}
