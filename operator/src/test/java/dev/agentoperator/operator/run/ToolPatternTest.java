package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolPatternTest {

  private static ToolPattern p(String text) {
    return ToolPattern.parse(text).pattern();
  }

  @Test
  void shouldParseToolAndToolWithArgumentGlob() {
    assertThat(p("shell")).isEqualTo(new ToolPattern("shell", null));
    assertThat(p("shell:git push*")).isEqualTo(new ToolPattern("shell", "git push*"));
    assertThat(p("*")).isEqualTo(new ToolPattern("*", null));
  }

  @Test
  void shouldExplainWhatIsWrongWithAMalformedPattern() {
    assertThat(ToolPattern.parse("shell:").problem()).contains("empty argument glob");
    assertThat(ToolPattern.parse(":ls").problem()).contains("tool name");
    assertThat(ToolPattern.parse(" ").problem()).contains("empty pattern");
  }

  @Test
  void shouldCoverNarrowerPatternsOnly() {
    assertThat(p("shell").covers(p("shell:npm test*"))).isTrue();
    assertThat(p("*").covers(p("read_file"))).isTrue();
    assertThat(p("shell:git *").covers(p("shell:git push*"))).isTrue();
    assertThat(p("shell:npm test").covers(p("shell:npm *"))).isFalse();
    assertThat(p("shell:npm *").covers(p("shell"))).isFalse();
    assertThat(p("read_file").covers(p("write_file"))).isFalse();
    assertThat(p("shell:a?c").covers(p("shell:a*c"))).isFalse();
  }
}
