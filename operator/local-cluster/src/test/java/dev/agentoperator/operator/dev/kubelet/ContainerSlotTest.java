package dev.agentoperator.operator.dev.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerSlotTest {

  @Test
  void shouldStayReadyUntilFailureThresholdProbesFailInARow() {
    ContainerSlot slot = started(new ContainerBuilder().withName("runner")
        .withNewReadinessProbe().withFailureThreshold(3).withNewHttpGet().withPath("/readyz")
        .withNewPort(8080).endHttpGet().endReadinessProbe().build());
    slot.probeResult(true);

    slot.probeResult(false);
    slot.probeResult(false);
    assertThat(slot.ready()).as("two slow answers are not a container going away").isTrue();
    slot.probeResult(true);
    slot.probeResult(false);
    slot.probeResult(false);
    assertThat(slot.ready()).as("the count starts again after a success").isTrue();
    slot.probeResult(false);

    assertThat(slot.ready()).isFalse();
    slot.probeResult(true);
    assertThat(slot.ready()).as("ready again on the first success").isTrue();
  }

  @Test
  void shouldNotBecomeReadyOnAFailedFirstProbe() {
    ContainerSlot slot = started(new ContainerBuilder().withName("runner")
        .withNewReadinessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket()
        .endReadinessProbe().build());

    slot.probeResult(false);

    assertThat(slot.ready()).isFalse();
  }

  private static ContainerSlot started(Container container) {
    ContainerSlot slot = new ContainerSlot(container);
    slot.started(new RunningContainer() {
      @Override
      public Process process() {
        throw new UnsupportedOperationException("not needed for probes");
      }

      @Override
      public void observe() {}

      @Override
      public void kill(Duration grace) {}

      @Override
      public void killOrphans() {}
    }, Instant.now());
    return slot;
  }
}
