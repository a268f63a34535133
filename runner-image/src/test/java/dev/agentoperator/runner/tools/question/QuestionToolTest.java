package dev.agentoperator.runner.tools.question;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.tools.ToolHarness;
import dev.agentoperator.runner.tools.ToolResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestionToolTest {

  @TempDir Path workspace;
  @TempDir Path state;

  @Test
  void shouldRefuseToAskWhereNobodyCanAnswerLikeTheSandboxsExecutor() throws Exception {
    // the sandbox's executor has the whole registry but no way to reach a person or the run
    ToolResult result =
        ToolHarness.standard(workspace, state).call("question", Map.of("question", "May I?"));

    assertThat(result.error()).isTrue();
    assertThat(result.content()).contains("no person to ask");
  }

  @Test
  void shouldRefuseAnOverlongQuestionOrChoiceClearly() throws Exception {
    ToolHarness tools = ToolHarness.standard(workspace, state);

    ToolResult longQuestion = tools.call("question", Map.of("question", "q".repeat(501)));
    ToolResult longChoice =
        tools.call("question", Map.of("question", "Which?", "choices", List.of("c".repeat(101))));
    ToolResult tooManyChoices =
        tools.call(
            "question",
            Map.of("question", "Which?", "choices", List.of("1", "2", "3", "4", "5", "6", "7", "8",
                "9", "10", "11")));

    assertThat(longQuestion.error()).isTrue();
    assertThat(longQuestion.content()).contains("501 characters", "at most 500");
    assertThat(longChoice.error()).isTrue();
    assertThat(longChoice.content()).contains("1 to 100 characters");
    assertThat(tooManyChoices.error()).isTrue();
    assertThat(tooManyChoices.content()).contains("choices");
  }
}
