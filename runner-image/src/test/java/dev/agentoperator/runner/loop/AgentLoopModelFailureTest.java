package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.API_KEY;
import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.json;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.llm.OpenAiChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopModelFailureTest {

  @TempDir Path root;
  LoopFixture fx;

  @BeforeEach
  void setUp() {
    fx = new LoopFixture(root);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void shouldWaitForRetryAfterOnA429AndThenSucceed() {
    // given
    fx.server
        .then(
            new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "2")
                .body("{\"error\":{\"message\":\"Rate limit reached for requests\"}}")
                .build())
        .then(finalAnswer("Done after the rate limit."));

    // when
    RunResult result = fx.loop(TestPolicies.runAllowingEveryTool("retry-1", "Say done")).run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.result()).isEqualTo("Done after the rate limit.");
    assertThat(fx.sleeps).containsExactly(Duration.ofSeconds(2));
    assertThat(fx.server.requestCount()).isEqualTo(2);
  }

  @Test
  void shouldFailTheRunWithTheServersMessageAfterPersistent500s() {
    // given
    fx.server.otherwise(body -> json(500, "{\"error\":{\"message\":\"upstream overloaded\"}}"));

    // when
    RunResult result = fx.loop(TestPolicies.runAllowingEveryTool("down-1", "Anything")).run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("ModelError");
    assertThat(result.message())
        .contains("model call failed after 3 attempts")
        .contains("HTTP 500")
        .contains("upstream overloaded");
    assertThat(fx.server.requestCount()).isEqualTo(3);
    assertThat(fx.stdout()).contains("== run failed (ModelError)");
  }

  @Test
  void shouldKeepTheApiKeyOutOfEveryOutputOfTheRun() throws IOException {
    // given a workspace file holding the key, read by the model, and then a 401 quoting the key
    Files.writeString(fx.workspace.resolve(".env"), "OPENAI_API_KEY=" + API_KEY + "\n");
    fx.server
        .then(toolCalls("read_file", "{\"path\":\".env\"}"))
        .then(
            json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY + "\"}}"));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("secret-1", "Show the config"));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.message())
        .contains("HTTP 401")
        .contains("Incorrect API key provided")
        .doesNotContain(API_KEY);
    assertThat(fx.messagesOf(1).getLast().text()).contains("<redacted>").doesNotContain(API_KEY);
    assertThat(fx.stdout()).doesNotContain(API_KEY);
    try (Stream<Path> files = Files.walk(fx.state)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(API_KEY);
      }
    }
    assertThat(eventsOf(loop, EventType.TOOL_RESULT).getFirst().data().path("output").asText())
        .contains("<redacted>");
  }

  @Test
  void shouldKeepTheApiKeyOutOfTheFinalAnswerWhenTheModelRepeatsIt() throws IOException {
    // given a model that (wrongly) puts the key into its final answer
    fx.server.then(finalAnswer("Your key is " + API_KEY + "."));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("secret-2", "What is my key?"));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(result.result()).contains("<redacted>").doesNotContain(API_KEY);
    assertThat(eventsOf(loop, EventType.RUN_SUCCEEDED).getFirst().data().path("result").asText())
        .doesNotContain(API_KEY);
    assertThat(fx.stdout()).doesNotContain(API_KEY);
  }

  @Test
  void shouldFailTheRunAsMaxTokensExceededWhenTheGatewayRefusesTheBudget() {
    // given a gateway that says the run's budget is used up
    fx.server.otherwise(
        body ->
            json(
                429,
                "{\"error\":{\"message\":\"run budget-1 used 120 tokens, its limit is 100\","
                    + "\"type\":\"budget_exceeded\",\"code\":\"max_tokens_exceeded\"}}"));
    OpenAiChatModel model = ((OpenAiChatModel) fx.openAiModel()).viaGateway();

    // when
    RunResult result =
        fx.loop(
                fx.config(model.forRun("budget-1", 100L)),
                TestPolicies.runAllowingEveryTool("budget-1", "Anything"))
            .run();

    // then no retry, and the reason a runner-side limit would give
    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("MaxTokensExceeded");
    assertThat(result.message()).contains("used 120 tokens, its limit is 100");
    assertThat(fx.server.requestCount()).isEqualTo(1);
    assertThat(fx.sleeps).isEmpty();
  }
}
