package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunQueueTest {

  @Test
  void shouldQueueWaitingRunsOfOneSessionInCreationOrder() {
    AgentRun active = run("a", "dev", "2026-11-22T10:00:00Z", AgentRunPhase.Running);
    AgentRun later = run("c", "dev", "2026-11-22T10:00:05Z", AgentRunPhase.Queued);
    AgentRun earlier = run("b", "dev", "2026-11-22T10:00:03Z", null);
    AgentRun otherSession = run("d", "other", "2026-11-22T10:00:01Z", null);
    List<AgentRun> all = List.of(active, later, earlier, otherSession);

    assertThat(RunQueue.waiting(all, "dev")).containsExactly(earlier, later);
    assertThat(RunQueue.positionOf(all, later)).isEqualTo(2);
    assertThat(RunQueue.holderOtherThan(all, "dev", earlier)).contains(active);
    assertThat(RunQueue.holderOtherThan(all, "other", otherSession)).isEmpty();
  }

  @Test
  void shouldLeaveRejectedAndFinishedRunsOutOfTheQueue() {
    AgentRun rejected = run("a", "dev", "2026-11-22T10:00:00Z", AgentRunPhase.Pending);
    rejected
        .getStatus()
        .setConditions(
            List.of(new ConditionBuilder().withType("Accepted").withStatus("False").build()));
    AgentRun finished = run("b", "dev", "2026-11-22T10:00:01Z", AgentRunPhase.Succeeded);
    AgentRun waiting = run("c", "dev", "2026-11-22T10:00:02Z", null);

    assertThat(RunQueue.waiting(List.of(rejected, finished, waiting), "dev"))
        .containsExactly(waiting);
  }

  @Test
  void shouldPutATemplateRunInItsOwnEphemeralSession() {
    AgentRun run = run("oneshot", null, "2026-11-22T10:00:00Z", null);

    assertThat(RunQueue.sessionOf(run)).isEqualTo("oneshot-session");
  }

  private static AgentRun run(String name, String session, String created, AgentRunPhase phase) {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withCreationTimestamp(created)
            .build());
    run.setSpec(
        AgentRunSpec.builder()
            .sessionRef(session == null ? null : new SessionRef(session))
            .prompt("p")
            .build());
    if (phase != null) {
      run.setStatus(new AgentRunStatus().setPhase(phase));
    }
    return run;
  }
}
