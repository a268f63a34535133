package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.policy.Verdict;
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
  void shouldDefaultLimits() {
    RunSpec spec = new RunSpec("r1", "task", null, null, null, TestPolicies.everyTool());

    assertThat(spec.limits()).isEqualTo(RunLimits.defaults());
  }

  @Test
  void shouldRefuseARunWithoutPolicy() {
    assertThatThrownBy(() -> new RunSpec("r1", "task", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no tool policy");
  }

  @Test
  void shouldDenyEveryToolWhenNoPolicyIsGiven() {
    RunSpec spec = RunSpec.of("r1", "task");

    assertThat(spec.policy().decide("shell", "ls").verdict()).isEqualTo(Verdict.DENY);
    assertThat(spec.policy().decide("read_file", "a").verdict()).isEqualTo(Verdict.DENY);
  }
}
