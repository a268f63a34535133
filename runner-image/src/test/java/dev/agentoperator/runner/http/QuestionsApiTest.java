package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuestionsApiTest {

  private static final String ASK =
      "{\"question\":\"Which database should I migrate?\",\"choices\":[\"orders\",\"users\"]}";
  private static final String ALLOW_QUESTION =
      "{\"prompt\":\"migrate\",\"tools\":{\"allow\":[\"question\"]}%s}";

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldWaitForTheAnswerAndGiveItToTheModelAsTheToolResult() throws Exception {
    // given
    runner = api.start(
        Turn.call("question", ASK),
        Turn.say("migrated orders"));
    runner.put("/v1/runs/run-1", ALLOW_QUESTION.formatted(""));

    // when
    JsonNode waiting = runner.awaitPhase("run-1", "AwaitingInput");
    JsonNode pending = waiting.path("pendingQuestions").get(0);
    String id = pending.path("id").asText();
    int requestsWhileWaiting = api.model().requests();
    ApiClient.Answer answer =
        runner.post(
            "/v1/runs/run-1/answers",
            "{\"id\":\"" + id + "\",\"answer\":\"orders\",\"by\":\"alice\"}");

    // then
    assertThat(pending.path("question").asText()).isEqualTo("Which database should I migrate?");
    assertThat(pending.path("choices")).extracting(JsonNode::asText).containsExactly("orders", "users");
    assertThat(pending.path("askedAt").asText()).isNotEmpty();
    assertThat(requestsWhileWaiting).as("no model call while the question waits").isEqualTo(1);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("pendingQuestions")).isEmpty();
    assertThat(runner.awaitPhase("run-1", "Succeeded").path("result").path("text").asText())
        .isEqualTo("migrated orders");
    assertThat(toolResultsSentToModel()).containsExactly("The person answered: orders");
    assertThat(RunsApiTest.types(runner.events("run-1")))
        .containsSubsequence("tool.called", "question.asked", "question.answered", "tool.result");
    JsonNode answered = null;
    for (JsonNode event : runner.events("run-1").path("events")) {
      if ("question.answered".equals(event.path("type").asText())) {
        answered = event;
      }
    }
    assertThat(answered).isNotNull();
    assertThat(answered.path("data").path("by").asText()).isEqualTo("alice");
    assertThat(answered.path("data").path("answer").asText()).isEqualTo("orders");
  }

  @Test
  void shouldKeepTheFirstAnswerAndRefuseADifferentOneOrAnUnknownId() throws Exception {
    // given
    runner = api.start(Turn.call("question", ASK), Turn.say("ok"));
    runner.put("/v1/runs/run-1", ALLOW_QUESTION.formatted(""));
    String id =
        runner.awaitPhase("run-1", "AwaitingInput").path("pendingQuestions").get(0).path("id").asText();

    // when
    ApiClient.Answer unknown =
        runner.post("/v1/runs/run-1/answers", "{\"id\":\"question-9-9\",\"answer\":\"x\"}");
    ApiClient.Answer empty = runner.post("/v1/runs/run-1/answers", "{\"id\":\"" + id + "\"}");
    ApiClient.Answer first =
        runner.post("/v1/runs/run-1/answers", "{\"id\":\"" + id + "\",\"answer\":\"users\"}");
    runner.awaitPhase("run-1", "Succeeded");
    ApiClient.Answer again =
        runner.post("/v1/runs/run-1/answers", "{\"id\":\"" + id + "\",\"answer\":\"users\"}");
    ApiClient.Answer different =
        runner.post("/v1/runs/run-1/answers", "{\"id\":\"" + id + "\",\"answer\":\"orders\"}");

    // then
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).contains("pending: [" + id + "]");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().path("error").asText()).contains("'answer' is required");
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.status()).isEqualTo(200);
    assertThat(different.status()).isEqualTo(409);
    assertThat(toolResultsSentToModel()).containsExactly("The person answered: users");
  }

  @Test
  void shouldTimeOutARunWhoseQuestionIsNeverAnswered() throws Exception {
    // given
    runner = api.start(Turn.call("question", ASK), Turn.say("never"));

    // when
    runner.put("/v1/runs/run-1", ALLOW_QUESTION.formatted(",\"limits\":{\"timeoutSeconds\":2}"));

    // then
    JsonNode summary = runner.awaitPhase("run-1", "TimedOut");
    assertThat(summary.path("reason").asText()).isEqualTo("TimedOut");
    assertThat(summary.path("pendingQuestions")).isEmpty();
    assertThat(api.model().requests()).isEqualTo(1);
    assertThat(RunsApiTest.types(runner.events("run-1")))
        .contains("question.asked")
        .doesNotContain("question.answered");
  }

  @Test
  void shouldNotAskWhenThePolicyDoesNotAllowTheQuestionTool() throws Exception {
    // given
    runner = api.start(Turn.call("question", ASK), Turn.say("fine"));

    // when
    runner.put("/v1/runs/run-1", "{\"prompt\":\"migrate\",\"tools\":{\"allow\":[\"read_file\"]}}");

    // then
    runner.awaitPhase("run-1", "Succeeded");
    assertThat(RunsApiTest.types(runner.events("run-1")))
        .contains("tool.blocked")
        .doesNotContain("question.asked");
  }

  @Test
  void shouldListWorkspaceSkillsInTheSystemPromptOnlyWhenThePolicyAllowsTheSkillTool()
      throws Exception {
    // given a workspace skill
    runner = api.start(Turn.say("ok"), Turn.say("ok"));
    java.nio.file.Path dir =
        java.nio.file.Files.createDirectories(runner.workspace.resolve(".agent/skills/deploy"));
    java.nio.file.Files.writeString(
        dir.resolve("SKILL.md"),
        "---\nname: deploy\ndescription: Deploy the app to staging\n---\nSECRET-STEPS");

    // when one run may use skills and one may not
    runner.put("/v1/runs/run-1", "{\"prompt\":\"a\",\"tools\":{\"allow\":[\"skill\"]}}");
    runner.awaitPhase("run-1", "Succeeded");
    // Succeeded is reported before run-1's thread lets go of the runner: until then a new run
    // gets 409 (one run at a time), so the second run is started once the runner accepts it.
    String withoutSkills = "{\"prompt\":\"b\",\"tools\":{\"allow\":[\"read_file\"]}}";
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runner.put("/v1/runs/run-2", withoutSkills).status(), status -> status != 409);
    runner.awaitPhase("run-2", "Succeeded");

    // then only the first lists it, by description (the text stays behind the skill tool)
    String first = api.model().bodies().get(0).path("messages").get(0).path("content").asText();
    String second = api.model().bodies().get(1).path("messages").get(0).path("content").asText();
    assertThat(first).contains("## Skills", "- deploy: Deploy the app to staging")
        .doesNotContain("SECRET-STEPS");
    assertThat(second).doesNotContain("deploy");
  }

  private List<String> toolResultsSentToModel() {
    List<String> results = new ArrayList<>();
    for (JsonNode body : api.model().bodies()) {
      for (JsonNode message : body.path("messages")) {
        if ("tool".equals(message.path("role").asText())) {
          results.add(message.path("content").asText());
        }
      }
    }
    return results.stream().distinct().toList();
  }
}
