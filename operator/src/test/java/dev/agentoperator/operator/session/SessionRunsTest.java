package dev.agentoperator.operator.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunSpec;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.SessionRef;
import dev.agentoperator.operator.api.v1alpha1.SnapshotStatus;
import dev.agentoperator.operator.api.v1alpha1.RunResult;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionRunsTest {

  @Test
  void shouldFindTheActiveRunAndCountOnlyRunsThatWaitForThisSession() {
    // given
    List<AgentRun> runs =
        List.of(
            run("active", "s", AgentRunPhase.AwaitingApproval),
            run("queued", "s", AgentRunPhase.Queued),
            run("new", "s", null),
            rejected(run("invalid", "s", AgentRunPhase.Pending)),
            run("done", "s", AgentRunPhase.Succeeded),
            run("elsewhere", "other", AgentRunPhase.Queued));

    // when
    SessionRuns summary = SessionRuns.of("s", runs);

    // then
    assertThat(summary.activeRun()).contains("active");
    assertThat(summary.queuedRuns()).isEqualTo(2);
    assertThat(summary.inLine()).as("status counts only the run put in line").isEqualTo(1);
    assertThat(summary.busy()).isTrue();
  }

  @Test
  void shouldSummariseTrimmedRunsLikeTheRunsThemselves() {
    // given runs carrying what the session side never reads
    AgentRun done = run("done", "s", AgentRunPhase.Succeeded);
    done.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "x".repeat(5000)));
    done.getMetadata().setManagedFields(List.of(new ManagedFieldsEntry()));
    done.getStatus()
        .setStartTime("2026-11-22T10:00:00Z")
        .setCompletionTime("2026-11-22T10:20:00Z")
        .setSnapshot(new SnapshotStatus("aaaaaaa", 3))
        .setResult(new RunResult("r".repeat(4096), false))
        .setRecentSteps(List.of(new StepSummary(1, "shell: make test")))
        .setMessage("the run ended as Succeeded");
    AgentRun queued = run("queued", "s", AgentRunPhase.Queued);
    AgentRun rejected = rejected(run("invalid", "s", AgentRunPhase.Pending));
    List<AgentRun> runs = List.of(done, queued, rejected, run("new", "s", null));

    // when
    List<AgentRun> views = runs.stream().map(SessionRunView::of).toList();

    // then
    assertThat(SessionRuns.of("s", views)).isEqualTo(SessionRuns.of("s", runs));
    AgentRun view = views.getFirst();
    assertThat(view.getSpec().prompt()).isNull();
    assertThat(view.getSpec().sessionRef()).isEqualTo(new SessionRef("s"));
    assertThat(view.getStatus().getResult()).isNull();
    assertThat(view.getStatus().getRecentSteps()).isEmpty();
    assertThat(view.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(view.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(Serialization.asJson(view).length()).isLessThan(Serialization.asJson(done).length() / 10);
    assertThat(done.getStatus().getResult()).as("the original is untouched").isNotNull();
  }

  @Test
  void shouldTakeTheLatestActivityAndTheSnapshotWithTheHighestCount() {
    // given
    AgentRun first = run("first", "s", AgentRunPhase.Succeeded);
    first
        .getStatus()
        .setStartTime("2026-11-22T10:00:00Z")
        .setCompletionTime("2026-11-22T10:20:00Z")
        .setSnapshot(new SnapshotStatus("aaaaaaa", 3));
    AgentRun second = run("second", "s", AgentRunPhase.Running);
    second
        .getStatus()
        .setStartTime("2026-11-22T10:25:00Z")
        .setSnapshot(new SnapshotStatus("bbbbbbb", 5));

    // when
    SessionRuns summary = SessionRuns.of("s", List.of(first, second));

    // then
    assertThat(summary.lastActivity()).contains(Instant.parse("2026-11-22T10:25:00Z"));
    assertThat(summary.latestSnapshot()).contains(new SnapshotStatus("bbbbbbb", 5));
  }

  @Test
  void shouldTreatATemplateRunWithoutStatusAsWaitingForItsEphemeralSession() {
    AgentRun templated = run("fix-bug", null, null);

    assertThat(SessionRuns.sessionOf(templated)).isEqualTo("fix-bug-session");
    assertThat(SessionRuns.of("fix-bug-session", List.of(templated)).queuedRuns()).isEqualTo(1);
  }

  private static AgentRun run(String name, String session, AgentRunPhase phase) {
    AgentRun run = new AgentRun();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withCreationTimestamp("2026-11-22T09:00:00Z")
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

  private static AgentRun rejected(AgentRun run) {
    run.getStatus()
        .getConditions()
        .add(
            new ConditionBuilder()
                .withType("Accepted")
                .withStatus("False")
                .withReason("SecretNotFound")
                .build());
    return run;
  }
}
