package dev.agentoperator.runner.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.runner.events.EventLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunProjectionTest {

  private static final Instant T0 = Instant.parse("2026-11-22T13:00:00Z");

  private final List<RunEvent> events = new ArrayList<>();

  private void add(String type, ObjectNode data) {
    events.add(new RunEvent(events.size() + 1L, type, T0.plusSeconds(events.size()), "r", data));
  }

  @Test
  void shouldCapTheResultAt4KibWithoutSplittingACharacter() {
    // given: 4095 ASCII bytes and then a 3-byte character crossing the 4 KiB boundary
    String text = "a".repeat(4095) + "€" + "tail";
    add("run.started", EventLog.data().put("resumed", false));
    add("run.succeeded", EventLog.data().put("result", text).put("truncated", false));

    // when
    RunSummary summary = RunProjection.of(events).summary("r");

    // then
    assertThat(summary.result().truncated()).isTrue();
    assertThat(summary.result().text()).isEqualTo("a".repeat(4095));
    assertThat(summary.result().text().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(4096);
  }

  @Test
  void shouldShowAwaitingApprovalUntilTheApprovalIsResolved() {
    // given
    add("run.started", EventLog.data());
    add("step.started", EventLog.data().put("step", 1));
    add(
        "approval.required",
        EventLog.data().put("id", "approval-1-1").put("tool", "shell").put("summary", "shell: ls"));

    // when
    RunProjection waiting = RunProjection.of(events);
    add("approval.resolved", EventLog.data().put("id", "approval-1-1").put("decision", "deny"));
    RunProjection resolved = RunProjection.of(events);

    // then
    assertThat(waiting.phase().name()).isEqualTo("AwaitingApproval");
    assertThat(waiting.summary("r").pendingApprovals())
        .singleElement()
        .satisfies(p -> assertThat(p.requestedAt()).isEqualTo(T0.plusSeconds(2).toString()));
    assertThat(resolved.phase().name()).isEqualTo("Running");
    assertThat(resolved.decisionFor("approval-1-1")).isEqualTo("deny");
  }

  @Test
  void shouldReportTimedOutForAFailureWhoseReasonIsTheTimeLimit() {
    // given
    add("run.started", EventLog.data());
    add(
        "run.failed",
        EventLog.data().put("reason", "TimedOut").put("message", "too slow").put("steps", 4));

    // when
    RunSummary summary = RunProjection.of(events).summary("r");

    // then
    assertThat(summary.phase()).isEqualTo("TimedOut");
    assertThat(summary.reason()).isEqualTo("TimedOut");
    assertThat(summary.steps()).isEqualTo(4);
    assertThat(summary.finishedAt()).isEqualTo(T0.plusSeconds(1).toString());
  }
}
