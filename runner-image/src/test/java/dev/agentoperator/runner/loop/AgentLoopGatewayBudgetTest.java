package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.ScriptedModelServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.runner.llm.OpenAiChatModel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose budget the gateway enforces ends like one the runner stopped itself. */
class AgentLoopGatewayBudgetTest {

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
