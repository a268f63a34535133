package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.runner.loop.LoopFixture.types;
import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopLimitsTest {

  @TempDir Path root;
  LoopFixture fx;

  @BeforeEach
  void setUp() {
    fx = new LoopFixture(root);
    // a model that never stops calling tools
    fx.server.otherwise(body -> toolCalls("shell", "{\"command\":\"echo again\"}"));
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private RunResult runWith(String uid, RunLimits limits) {
    return fx.loop(TestPolicies.runAllowingEveryTool(uid, "Loop forever").withLimits(limits)).run();
  }

  @Test
  void shouldFailWithMaxStepsExceededAfterTheLastAllowedStep() {
    RunResult result = runWith("steps-1", RunLimits.unlimited().withMaxSteps(3));

    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("MaxStepsExceeded");
    assertThat(result.message()).contains("limit of 3 steps");
    assertThat(result.steps()).isEqualTo(3);
    assertThat(fx.server.requestCount()).isEqualTo(3);
  }

  @Test
  void shouldFailWithMaxTokensExceededOnceTheRunHasUsedItsTokens() {
    // each scripted answer reports 150 tokens
    RunResult result = runWith("tokens-1", RunLimits.unlimited().withMaxTokens(400L));

    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("MaxTokensExceeded");
    assertThat(result.usage().totalTokens()).isEqualTo(450);
    assertThat(fx.server.requestCount()).isEqualTo(3);
  }

  @Test
  void shouldFailWithMaxToolCallsExceededBeforeTheCallOverTheLimit() {
    fx.server.otherwise(
        body ->
            toolCalls("shell", "{\"command\":\"echo a\"}", "shell", "{\"command\":\"echo b\"}"));

    RunResult result = runWith("calls-1", RunLimits.unlimited().withMaxToolCalls(3));

    assertThat(result.phase()).isEqualTo(RunPhase.Failed);
    assertThat(result.reason()).isEqualTo("MaxToolCallsExceeded");
    assertThat(result.toolCalls()).isEqualTo(3);
    assertThat(fx.server.requestCount()).isEqualTo(2);
  }

  @Test
  void shouldEndTimedOutWhenTheTimeoutPassesDuringAModelCall() {
    // given a model that answers far later than the run's timeout
    fx.server.otherwise(
        body -> new MockResponse.Builder().headersDelay(60, TimeUnit.SECONDS).body("{}").build());

    // when
    RunResult result =
        runWith("timeout-1", RunLimits.unlimited().withTimeout(Duration.ofMillis(500)));

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.TimedOut);
    assertThat(result.reason()).isEqualTo("TimedOut");
    assertThat(
            eventsOf(
                fx.loop(TestPolicies.runAllowingEveryTool("timeout-1", "x")), EventType.RUN_FAILED))
        .singleElement()
        .satisfies(e -> assertThat(e.data().path("phase").asText()).isEqualTo("TimedOut"));
  }

  @Test
  void shouldStopALongShellCommandWithinTwoSecondsWhenCancelled() throws Exception {
    // given a run busy in a long shell command
    fx.server
        .then(toolCalls("shell", "{\"command\":\"sleep 60\",\"timeout_seconds\":120}"))
        .then(finalAnswer("never asked"));
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("cancel-1", "Wait a minute"));
    CompletableFuture<RunResult> run = fx.start(loop);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !eventsOf(loop, EventType.TOOL_CALLED).isEmpty());

    // when
    loop.cancel();

    // then
    await().atMost(Duration.ofSeconds(2)).until(run::isDone);
    RunResult result = run.get();
    assertThat(result.phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(fx.server.requestCount()).isEqualTo(1);
    assertThat(types(loop)).last().isEqualTo(EventType.RUN_CANCELLED);
    assertThat(fx.stdout()).contains("== run cancelled");
  }

  @Test
  void shouldStopAnInFlightModelCallWhenCancelled() throws Exception {
    // given a run waiting for a slow model
    fx.server.otherwise(
        body -> new MockResponse.Builder().headersDelay(60, TimeUnit.SECONDS).body("{}").build());
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("cancel-2", "Think hard"));
    CompletableFuture<RunResult> run = fx.start(loop);
    await().atMost(Duration.ofSeconds(30)).until(() -> fx.server.requestCount() == 1);

    // when
    loop.cancel();

    // then
    await().atMost(Duration.ofSeconds(2)).until(run::isDone);
    assertThat(run.get().phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(fx.server.requestCount()).isEqualTo(1);
  }

  @Test
  void shouldNotCallTheModelWhenCancelledBeforeItStarts() {
    AgentLoop loop = fx.loop(TestPolicies.runAllowingEveryTool("cancel-3", "Anything"));
    loop.cancel();

    RunResult result = loop.run();

    assertThat(result.phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(fx.server.requestCount()).isZero();
  }

  @Test
  void shouldEndTimedOutWhenTheTimeoutPassesDuringAToolCall() {
    // given a tool call that would run for a minute
    fx.server
        .then(toolCalls("shell", "{\"command\":\"sleep 60\",\"timeout_seconds\":120}"))
        .then(finalAnswer("never asked"));

    // when
    RunResult result =
        runWith("timeout-2", RunLimits.unlimited().withTimeout(Duration.ofSeconds(1)));

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.TimedOut);
    assertThat(result.message()).contains("exceeded its timeout of PT1S");
    assertThat(fx.server.requestCount()).isEqualTo(1);
  }

  @Test
  void shouldEndCancelledWhenCancelledWhileAwaitingApproval() throws Exception {
    // given a run waiting for a person
    fx.server.then(toolCalls("shell", "{\"command\":\"echo hi\"}"));
    ToolPolicy policy = ToolPolicy.of(List.of(), List.of("shell"), List.of());
    AgentLoop loop = fx.loop(RunSpec.of("cancel-4", "Ask first").withPolicy(policy::decide));
    CompletableFuture<RunResult> run = fx.start(loop);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !eventsOf(loop, EventType.APPROVAL_REQUIRED).isEmpty());

    // when
    loop.cancel();

    // then
    await().atMost(Duration.ofSeconds(2)).until(run::isDone);
    assertThat(run.get().phase()).isEqualTo(RunPhase.Cancelled);
    assertThat(loop.approvals().pending()).isEmpty();
    assertThat(eventsOf(loop, EventType.TOOL_CALLED)).isEmpty();
  }
}
