package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentSessionPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentSessionStatus;
import dev.agentoperator.operator.api.v1alpha1.SnapshotStatus;
import org.junit.jupiter.api.Test;

/** Which session status changes wait for the active run's end instead of a write of their own. */
class SessionStatusWritesTest {

  @Test
  void shouldDeferLastActivityAndSnapshotWhileARunIsActive() {
    AgentSessionStatus before = status("r1", 0).setSnapshot(new SnapshotStatus("aaaaaaa", 1));
    AgentSessionStatus after =
        status("r1", 0)
            .setLastActivityTime("2026-12-01T10:05:00Z")
            .setSnapshot(new SnapshotStatus("bbbbbbb", 2));

    assertThat(SessionStatusFactory.onlyRunProgressChanged(before, after)).isTrue();
  }

  @Test
  void shouldWriteWhenTheActiveRunOrTheQueueChanges() {
    AgentSessionStatus before = status("r1", 0);

    assertThat(SessionStatusFactory.onlyRunProgressChanged(before, status(null, 0)))
        .as("the run ended")
        .isFalse();
    assertThat(SessionStatusFactory.onlyRunProgressChanged(before, status("r2", 0))).isFalse();
    assertThat(SessionStatusFactory.onlyRunProgressChanged(before, status("r1", 1)))
        .as("a run was put in line")
        .isFalse();
    assertThat(
            SessionStatusFactory.onlyRunProgressChanged(
                before, status("r1", 0).setPhase(AgentSessionPhase.Pending)))
        .isFalse();
    assertThat(SessionStatusFactory.onlyRunProgressChanged(null, status("r1", 0))).isFalse();
  }

  @Test
  void shouldWriteActivityOfAnIdleSession() {
    AgentSessionStatus before = status(null, 0);
    AgentSessionStatus after = status(null, 0).setLastActivityTime("2026-12-01T10:05:00Z");

    assertThat(SessionStatusFactory.onlyRunProgressChanged(before, after)).isFalse();
  }

  private static AgentSessionStatus status(String activeRun, int queued) {
    return new AgentSessionStatus()
        .setObservedGeneration(1L)
        .setPhase(AgentSessionPhase.Ready)
        .setPodName("s-sandbox")
        .setWorkspaceClaim("s-workspace")
        .setActiveRun(activeRun)
        .setQueuedRuns(queued)
        .setLastActivityTime("2026-12-01T10:00:00Z");
  }
}
