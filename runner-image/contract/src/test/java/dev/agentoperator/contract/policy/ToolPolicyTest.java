package dev.agentoperator.contract.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ToolPolicyTest {

  @Test
  void shouldAskForGitPushButAllowGitStatusWhenShellIsAllowed() {
    ToolPolicy policy = ToolPolicy.of(List.of("shell"), List.of("shell:git push*"), List.of());

    PolicyDecision push = policy.decide("shell", "git push origin main");
    PolicyDecision status = policy.decide("shell", "git status");

    assertThat(push.verdict()).isEqualTo(Verdict.ASK);
    assertThat(push.matchedPattern()).isEqualTo("shell:git push*");
    assertThat(status.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(status.matchedPattern()).isEqualTo("shell");
  }

  @Test
  void shouldLetDenyWinOverAskAndAllow() {
    ToolPolicy policy =
        ToolPolicy.of(List.of("shell"), List.of("shell:rm *"), List.of("shell:rm -rf *"));

    PolicyDecision decision = policy.decide("shell", "rm -rf /data/workspace");

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.matchedPattern()).isEqualTo("shell:rm -rf *");
    assertThat(decision.explanation()).contains("denies shell `rm -rf /data/workspace`");
  }

  @Test
  void shouldLetAskWinOverAllow() {
    ToolPolicy policy = ToolPolicy.of(List.of("*"), List.of("web_fetch"), List.of());

    assertThat(policy.decide("web_fetch", "https://example.com").verdict()).isEqualTo(Verdict.ASK);
    assertThat(policy.decide("read_file", "a.txt").verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void shouldDenyUnlistedToolWithExplanationTheModelCanAct() {
    ToolPolicy policy =
        ToolPolicy.of(List.of("read_file", "grep"), List.of("shell:make *"), List.of());

    PolicyDecision decision = policy.decide("shell", "curl http://x");

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.matchedPattern()).isNull();
    assertThat(decision.explanation())
        .startsWith("the tool policy does not allow shell `curl http://x`")
        .contains("ask the user")
        .contains("grep, read_file, shell:make * (with approval)");
  }

  @Test
  void shouldDenyEverythingUnderEmptyPolicy() {
    ToolPolicy policy = ToolPolicy.of(null, null, null);

    PolicyDecision decision = policy.decide("todo_read", "");

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.explanation()).contains("does not allow todo_read");
  }

  @Test
  void shouldAllowEverythingOnlyWhenThePolicySaysStar() {
    ToolPolicy policy = ToolPolicy.of(List.of("*"), List.of(), List.of());

    assertThat(policy.decide("shell", "anything at all").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.decide("mcp__github__create_pull_request", "").verdict())
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void shouldDenyEveryToolUnderPolicyWithOnlyEmptyLists() {
    ToolPolicy policy = ToolPolicy.of(List.of(), List.of(), List.of());

    for (String tool : List.of("shell", "write_file", "git_push", "mcp__github__merge", "")) {
      PolicyDecision decision = policy.decide(tool, "x");
      assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
      assertThat(decision.explanation()).contains("no tools (none are allowed)");
    }
    assertThat(policy.decide(null, null).verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void shouldMatchMcpToolsByNameAndByPrefixGlob() {
    ToolPolicy policy =
        ToolPolicy.of(
            List.of("mcp__github__*", "mcp__linear__get_issue"),
            List.of("mcp__github__create_pull_request"),
            List.of("mcp__github__delete_*"));

    assertThat(policy.decide("mcp__github__list_issues", "").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.decide("mcp__github__create_pull_request", "").verdict())
        .isEqualTo(Verdict.ASK);
    assertThat(policy.decide("mcp__github__delete_repo", "").verdict()).isEqualTo(Verdict.DENY);
    assertThat(policy.decide("mcp__linear__get_issue", "").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.decide("mcp__linear__delete_issue", "").verdict()).isEqualTo(Verdict.DENY);
    assertThat(policy.decide("mcp__githubx__list_issues", "").verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void shouldMatchSuffixGlobInToolName() {
    ToolPolicy policy = ToolPolicy.of(List.of("*_file"), List.of(), List.of());

    assertThat(policy.decide("read_file", "a").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.decide("write_file", "a").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.decide("shell", "cat a").verdict()).isEqualTo(Verdict.DENY);
  }

  @ParameterizedTest(name = "shell:git status does not allow [{0}]")
  @ValueSource(
      strings = {
        "git status; rm -rf x",
        "git status && rm -rf x",
        "git status\nrm -rf x",
        "git status | sh",
        "git statusx",
        "git status ",
        " git status",
        "GIT STATUS",
        "git  status",
      })
  void shouldNotLetAnExactShellPatternAllowAnythingElse(String command) {
    ToolPolicy policy = ToolPolicy.of(List.of("shell:git status"), List.of(), List.of());

    assertThat(policy.decide("shell", command).verdict()).isEqualTo(Verdict.DENY);
    assertThat(policy.decide("shell", "git status").verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void shouldMatchToolNamesCaseSensitively() {
    ToolPolicy policy = ToolPolicy.of(List.of("Shell"), List.of(), List.of("shell"));

    assertThat(policy.decide("Shell", "ls").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.decide("shell", "ls").verdict()).isEqualTo(Verdict.DENY);
  }

  @Test
  void shouldMatchArgumentGlobAgainstAnyToolWithStarTool() {
    ToolPolicy policy = ToolPolicy.of(List.of("*"), List.of(), List.of("*:*.env"));

    assertThat(policy.decide("read_file", "config/.env").verdict()).isEqualTo(Verdict.DENY);
    assertThat(policy.decide("write_file", "prod.env").verdict()).isEqualTo(Verdict.DENY);
    assertThat(policy.decide("read_file", "README.md").verdict()).isEqualTo(Verdict.ALLOW);
  }

  @ParameterizedTest(name = "{0} vs \"{1}\" -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "shell:git push*     | git push                   | true",
        "shell:git push*     | git push --force origin    | true",
        "shell:git push*     | git pushx                  | true",
        "shell:git push*     | git status                 | false",
        "shell:git push*     | echo; git push             | false",
        "shell:*git push*    | echo; git push             | true",
        "write_file:src/*    | src/a/b/C.java             | true",
        "write_file:src/*    | test/src/C.java            | false",
        "read_file:?.txt     | a.txt                      | true",
        "read_file:?.txt     | ab.txt                     | false",
        "read_file:a.txt     | a.txt                      | true",
        "read_file:a.txt     | aXtxt                      | false",
        "shell:ls (x)+{y}.$  | ls (x)+{y}.$               | true",
        "shell:ls (x)+{y}.$  | ls xx{y}a                  | false",
        "shell:ls (x)+?y?    | ls (x)+[y]                 | true",
      })
  void shouldMatchGlobsOverTheWholeArgument(String pattern, String argument, boolean matches) {
    String tool = pattern.substring(0, pattern.indexOf(':'));

    assertThat(PolicyPattern.parse(pattern).matches(tool, argument)).isEqualTo(matches);
  }

  @Test
  void shouldMatchStarAcrossNewlines() {
    assertThat(PolicyPattern.parse("shell:git push*").matches("shell", "git push\nrm -rf x"))
        .isTrue();
  }

  @Test
  void shouldNotMatchOtherToolWithArgumentPattern() {
    assertThat(PolicyPattern.parse("shell:ls*").matches("read_file", "ls")).isFalse();
  }

  @ParameterizedTest(name = "\"{0}\" is a valid pattern")
  @CsvSource({
    "mcp__github__create_pull_request",
    "mcp__my-server__tool.v2",
    "mcp__github__*",
    "*_file",
    "*github*",
    "Shell",
    "read-file",
    "tool2",
    "'shell:echo a:b'",
  })
  void shouldAcceptToolNamesMcpToolsNeed(String pattern) {
    assertThat(PolicyPattern.parse(pattern).text()).isEqualTo(pattern);
  }

  @Test
  void shouldRejectToolNameLongerThanSixtyFourCharacters() {
    assertThat(PolicyPattern.problem("a".repeat(64))).isEmpty();
    assertThat(PolicyPattern.problem("a".repeat(65))).get().asString().contains("up to 64");
  }

  @Test
  void shouldSplitAtTheFirstColonOnly() {
    PolicyPattern pattern = PolicyPattern.parse("shell:echo a:b");

    assertThat(pattern.tool()).isEqualTo("shell");
    assertThat(pattern.argumentGlob()).isEqualTo("echo a:b");
    assertThat(pattern.matches("shell", "echo a:b")).isTrue();
  }

  @Test
  void shouldRefuseToBuildAnInvalidPatternDirectly() {
    assertThatThrownBy(() -> new PolicyPattern("sh ll", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PolicyPattern(null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAcceptUnknownToolNameInPattern() {
    ToolPolicy policy = ToolPolicy.of(List.of("future_tool"), List.of(), List.of());

    assertThat(policy.decide("future_tool", "").verdict()).isEqualTo(Verdict.ALLOW);
  }

  @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''           | empty",
        "'   '        | only whitespace",
        "':git*'      | no tool name",
        "'shell '     | invalid tool name 'shell '",
        "'she ll'     | invalid tool name 'she ll'",
        "'shell:'     | empty argument glob",
        "'sh*ll:x'    | invalid tool name 'sh*ll'",
        "'**'         | invalid tool name '**'",
        "'sh?ll'      | invalid tool name 'sh?ll'",
        "'mcp/x'      | invalid tool name 'mcp/x'",
        "'shell\t'   | invalid tool name",
        "'read_file:['          | 'read_file:[' has a '[' at character 11",
        "'shell:echo ]'         | 'shell:echo ]' has a ']' at character 12",
        "'read_file:src/[ab].c' | no character classes",
      })
  void shouldRejectBadPatterns(String pattern, String problem) {
    assertThatThrownBy(() -> PolicyPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void shouldRefuseABracketRatherThanMatchItLiterallyAndSayHowToMatchOne() {
    // a shell user reads [ab] as a character class; this glob has none, so a bracket is refused
    // instead of silently matching only the literal text
    assertThat(PolicyPattern.problem("read_file:["))
        .get()
        .asString()
        .isEqualTo(
            "tool policy pattern 'read_file:[' has a '[' at character 11: the argument glob has"
                + " no character classes ([...]), so '[' and ']' are not allowed; write '?' to"
                + " match any one character (a bracket too) or '*' for any run of characters");
    assertThatThrownBy(() -> ToolPolicy.of(List.of("read_file:["), null, null))
        .hasMessageStartingWith("allow[0]: tool policy pattern 'read_file:['");
    assertThat(ToolPolicy.of(List.of("shell:test ? -f x ?"), null, null)
            .decide("shell", "test [ -f x ]")
            .verdict())
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void shouldNameListPositionAndTextOfBadPatternInPolicy() {
    assertThatThrownBy(
            () -> ToolPolicy.of(List.of("read_file"), List.of("shell", ":rm*"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ask[1]: ")
        .hasMessageContaining("':rm*'");
  }

  @Test
  void shouldRejectNullPatternInList() {
    List<String> withNull = java.util.Arrays.asList("shell", null);

    assertThatThrownBy(() -> ToolPolicy.of(withNull, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allow[1]");
  }
}
