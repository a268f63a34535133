package dev.agentoperator.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.RunPhase;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AgentRunPhaseTest {

  @Test
  void shouldEndARunInExactlyTheFourFinalPhases() {
    assertThat(Arrays.stream(AgentRunPhase.values()).filter(AgentRunPhase::isTerminal))
        .containsExactly(
            AgentRunPhase.Succeeded,
            AgentRunPhase.Failed,
            AgentRunPhase.Cancelled,
            AgentRunPhase.TimedOut);
  }

  @Test
  void shouldHaveAPhaseForEveryPhaseTheRunnerReports() {
    assertThat(Arrays.stream(RunPhase.values()).map(RunPhase::name))
        .allSatisfy(name -> assertThat(AgentRunPhase.valueOf(name).isTerminal())
            .isEqualTo(RunPhase.valueOf(name).isFinal()));
  }
}
