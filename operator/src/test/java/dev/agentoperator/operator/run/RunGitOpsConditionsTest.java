package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flux's kstatus reads Ready, Reconciling and Stalled; every phase maps to what it should see. */
class RunGitOpsConditionsTest {

  private final RunConditions conditions =
      new RunConditions(
          new Conditions(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC)));

  @ParameterizedTest(name = "{0}: Ready={1} Reconciling={2} Stalled={3}")
  @CsvSource({
    "Queued,           False, True,  False",
    "Running,          False, True,  False",
    "AwaitingApproval, False, True,  False",
    "Succeeded,        True,  False, False",
    "Failed,           False, False, True",
    "TimedOut,         False, False, True",
    "Cancelled,        False, False, True",
  })
  void shouldTellGitOpsToolsWhetherTheRunIsProgressingDoneOrStalled(
      AgentRunPhase phase, String ready, String reconciling, String stalled) {
    AgentRunStatus status = new AgentRunStatus().setPhase(phase).setMessage("m");

    conditions.forPhase(status, phase, null, 3L);

    assertThat(statusOf(status, "Ready")).isEqualTo(ready);
    assertThat(statusOf(status, "Reconciling")).isEqualTo(reconciling);
    assertThat(statusOf(status, "Stalled")).isEqualTo(stalled);
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L))
        .allSatisfy(c -> assertThat(c.getReason()).isNotBlank());
  }

  @Test
  void shouldMarkARejectedRunStalledUntilItsSpecIsFixed() {
    AgentRunStatus status = new AgentRunStatus().setPhase(AgentRunPhase.Pending);

    conditions.rejected(status, "AgentSession webapp does not exist", 1L);

    assertThat(statusOf(status, "Stalled")).isEqualTo("True");
    assertThat(statusOf(status, "Ready")).isEqualTo("False");
    assertThat(status.getConditions())
        .filteredOn(c -> c.getType().equals("Stalled"))
        .singleElement()
        .extracting(Condition::getMessage)
        .isEqualTo("AgentSession webapp does not exist");
  }

  private static String statusOf(AgentRunStatus status, String type) {
    return Conditions.find(status.getConditions(), type).map(Condition::getStatus).orElse("absent");
  }
}
