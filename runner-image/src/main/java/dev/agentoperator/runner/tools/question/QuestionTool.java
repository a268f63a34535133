package dev.agentoperator.runner.tools.question;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.RunnerApiLimits;
import dev.agentoperator.runner.tools.Tool;
import dev.agentoperator.runner.tools.ToolContext;
import dev.agentoperator.runner.tools.ToolResult;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code question}: asks a person and returns their answer (from {@code spec.answers}). Runs in the
 * runner: the wait and the answer belong to the run's record, which the sandbox never touches.
 */
public final class QuestionTool implements Tool {

  /** Longest question: it is shown whole in status.pendingQuestions and in events. */
  public static final int MAX_QUESTION_CHARS = RunnerApiLimits.QUESTION_MAX_CHARS;

  /** Longest suggested answer. */
  public static final int MAX_CHOICE_CHARS = RunnerApiLimits.CHOICE_MAX_CHARS;

  @Override
  public String name() {
    return "question";
  }

  @Override
  public Placement placement() {
    return Placement.RUNNER;
  }

  @Override
  public String mainArgument(JsonNode arguments) {
    return arguments.path("question").asText("");
  }

  @Override
  public ToolResult call(JsonNode arguments, ToolContext context) throws InterruptedException {
    String question = arguments.path("question").asText("").strip();
    if (question.isEmpty()) {
      return ToolResult.error("'question' is empty; write the question you want a person to answer");
    }
    if (question.length() > MAX_QUESTION_CHARS) {
      return ToolResult.error(
          "the question has "
              + question.length()
              + " characters; at most "
              + MAX_QUESTION_CHARS
              + " are allowed: shorten it");
    }
    List<String> choices = new ArrayList<>();
    for (JsonNode choice : arguments.path("choices")) {
      String text = choice.asText("").strip();
      if (text.isEmpty() || text.length() > MAX_CHOICE_CHARS) {
        return ToolResult.error(
            "each choice must have 1 to " + MAX_CHOICE_CHARS + " characters; got '" + text + "'");
      }
      choices.add(text);
    }
    String answer = context.questions().ask(question, List.copyOf(choices));
    return ToolResult.ok("The person answered: " + answer);
  }
}
