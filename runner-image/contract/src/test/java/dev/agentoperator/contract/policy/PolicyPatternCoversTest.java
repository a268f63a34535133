package dev.agentoperator.contract.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator's question of two patterns: does the session's cover every call of the run's? */
class PolicyPatternCoversTest {

  private static PolicyPattern p(String text) {
    return PolicyPattern.parse(text);
  }

  @Test
  void shouldParseToolAndToolWithArgumentGlob() {
    assertThat(p("shell")).isEqualTo(new PolicyPattern("shell", null));
    assertThat(p("shell:git push*")).isEqualTo(new PolicyPattern("shell", "git push*"));
    assertThat(p("*")).isEqualTo(new PolicyPattern("*", null));
  }

  @Test
  void shouldExplainWhatIsWrongWithAMalformedPattern() {
    assertThat(PolicyPattern.problem("shell:")).get().asString().contains("empty argument glob");
    assertThat(PolicyPattern.problem(":ls")).get().asString().contains("tool name");
    assertThat(PolicyPattern.problem(" ")).get().asString().contains("only whitespace");
    assertThat(PolicyPattern.problem("")).get().asString().contains("empty");
    assertThat(PolicyPattern.problem("shell:git*")).isEmpty();
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "shell                | shell:npm test*                  | true",
        "*                    | read_file                        | true",
        "*                    | mcp__github__*                   | true",
        "shell:git *          | shell:git push*                  | true",
        "shell:npm test       | shell:npm *                      | false",
        "shell:npm *          | shell                            | false",
        "shell:*              | shell                            | true",
        "read_file            | write_file                       | false",
        "shell:a?c            | shell:a*c                        | false",
        "shell:a?c            | shell:a?c                        | true",
        "shell:a*c            | shell:a?c                        | true",
        "shell:abc            | shell:a?c                        | false",
        "mcp__github__*       | mcp__github__create_pull_request | true",
        "mcp__github__*       | mcp__github__create*             | true",
        "mcp__github__*       | mcp__*                           | false",
        "mcp__github__*       | *                                | false",
        "mcp__github__list    | mcp__github__*                   | false",
        "*_file               | read_file:src/*                  | true",
        "*_file               | *                                | false",
        "*:*.env              | read_file:config/*.env           | true",
        "*:*.env              | read_file                        | false",
        "read_file:src/*      | *:src/a                          | false",
      })
  void shouldCoverOnlyWhatIsProvablyNarrower(String wide, String narrow, boolean covered) {
    assertThat(p(wide).covers(p(narrow))).isEqualTo(covered);
  }

  @Test
  void shouldDecideCoverQuicklyForPathologicalGlobs() {
    PolicyPattern wide = p("shell:" + "*a".repeat(40) + "b");
    PolicyPattern narrow = p("shell:" + "a".repeat(2000));

    assertThat(wide.covers(narrow)).isFalse();
    assertThat(wide.matches("shell", "a".repeat(2000))).isFalse();
  }
}
