package dev.agentoperator.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void shouldAddUpEveryUnitOfACompoundDuration() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2h1m5s10ms"))
        .isEqualTo(Duration.ofHours(2).plusMinutes(1).plusSeconds(5).plusMillis(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "m", "1d", "1h 30m", "-5s", "1.5h"})
  void shouldRefuseTextThatIsNotADurationAndQuoteIt(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }
}
