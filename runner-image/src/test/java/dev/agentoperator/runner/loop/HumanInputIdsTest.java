package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.llm.ToolCall;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HumanInputIdsTest {

  @TempDir Path root;

  private static PendingCall call(String arguments) {
    return new PendingCall(new ToolCall("call-1", "shell", arguments), 1);
  }

  @Test
  void shouldGiveTheSameCallTheSameIdWhenTheRunAsksAgainAfterARestart() {
    String first = HumanInputIds.of("run-1", root).approval(2, call("{\"command\":\"ls\"}"));

    String again = HumanInputIds.of("run-1", root).approval(2, call("{\"command\":\"ls\"}"));

    assertThat(again).isEqualTo(first).startsWith("approval-2-1-").hasSize(29);
  }

  @Test
  void shouldGiveADifferentCallAtTheSamePositionADifferentId() {
    HumanInputIds ids = HumanInputIds.of("run-1", root);

    assertThat(ids.approval(2, call("{\"command\":\"ls\"}")))
        .isNotEqualTo(ids.approval(2, call("{\"command\":\"rm -rf .\"}")));
  }

  @Test
  void shouldGiveTheSameCallInAnotherRunDirectoryAnIdNoOneCouldPredict() {
    String one = HumanInputIds.of("run-1", root.resolve("a")).approval(1, call("{}"));

    String other = HumanInputIds.of("run-1", root.resolve("b")).approval(1, call("{}"));

    assertThat(one).isNotEqualTo(other);
  }

  @Test
  void shouldNeverGiveAQuestionTheIdOfAnApproval() {
    HumanInputIds ids = HumanInputIds.of("run-1", root);

    assertThat(ids.question(1, call("{}"))).startsWith("question-1-1-");
    assertThat(ids.approval(1, call("{}"))).startsWith("approval-1-1-");
  }
}
