package dev.agentoperator.contract.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  @Test
  void shouldKeepAResultWithinTheCapAsItIs() {
    String text = "a".repeat(RunnerApiLimits.RESULT_MAX_BYTES);

    assertThat(RunSummary.Result.capped(text, false)).isEqualTo(new RunSummary.Result(text, false));
    assertThat(RunSummary.Result.capped("cut before", true).truncated()).isTrue();
  }

  @Test
  void shouldCutALongResultAtTheByteCapWithoutSplittingACharacter() {
    String text = "ab" + "€".repeat(2000); // 2 + 6000 bytes

    var capped = RunSummary.Result.capped(text, false);

    assertThat(capped.truncated()).isTrue();
    byte[] bytes = capped.text().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isLessThanOrEqualTo(RunnerApiLimits.RESULT_MAX_BYTES);
    assertThat(bytes.length).isGreaterThan(RunnerApiLimits.RESULT_MAX_BYTES - 3);
    assertThat(capped.text()).endsWith("€");
  }

  @Test
  void shouldTreatAPhaseItDoesNotKnowAsNotFinished() {
    assertThat(RunPhase.isFinal("TimedOut")).isTrue();
    assertThat(RunPhase.isFinal("Running")).isFalse();
    assertThat(RunPhase.isFinal("Hibernating")).isFalse();
    assertThat(RunPhase.isFinal((String) null)).isFalse();
  }
}
