package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.runner.policy.Verdict;
import org.junit.jupiter.api.Test;

class RunSpecTest {

  @Test
  void shouldRefuseARunUidThatCouldEscapeTheStateDirectory() {
    assertThatThrownBy(() -> RunSpec.of("../other", "task"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run uid must be");
  }

  @Test
  void shouldRefuseAnEmptyPrompt() {
    assertThatThrownBy(() -> RunSpec.of("r1", "  "))
        .hasMessageContaining("the prompt of run r1 is empty");
  }

  @Test
  void shouldDefaultLimitsAndPolicy() {
    RunSpec spec = new RunSpec("r1", "task", null, null, null, null);

    assertThat(spec.limits()).isEqualTo(RunLimits.defaults());
    assertThat(spec.policy().decide("shell", "ls").verdict()).isEqualTo(Verdict.ALLOW);
  }
}
