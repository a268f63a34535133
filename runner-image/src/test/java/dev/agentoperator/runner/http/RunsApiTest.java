package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunsApiTest {

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldRefuseApiRequestsWithoutTheRightTokenAndSayNothingMore() throws Exception {
    // given
    runner = api.start(Turn.say("done"));

    // when
    ApiClient.Answer missing = runner.send(runner.unauthenticated("/v1/runs").GET());
    ApiClient.Answer wrong =
        runner.send(
            runner.unauthenticated("/v1/runs/r1").header("Authorization", "Bearer nope").GET());
    ApiClient.Answer wrongScheme =
        runner.send(
            runner
                .unauthenticated("/v1/runs")
                .header("Authorization", "Basic " + ApiClient.TOKEN)
                .GET());
    ApiClient.Answer startWithoutToken =
        runner.send(
            runner
                .unauthenticated("/v1/runs/r1")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        ApiClient.allowingEveryTool("{\"prompt\":\"hi\"}"))));

    // then
    for (ApiClient.Answer answer : List.of(missing, wrong, wrongScheme, startWithoutToken)) {
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.json().path("error").asText()).isEqualTo("unauthorized");
    }
    assertThat(Files.exists(runner.stateDir.resolve("runs/r1"))).isFalse();
    assertThat(api.model().requests()).isZero();
  }

  @Test
  void shouldServeProbesAndMetricsWithoutToken() throws Exception {
    // given
    runner = api.start(Turn.say("done"));

    // when
    ApiClient.Answer health = runner.send(runner.unauthenticated("/healthz").GET());
    ApiClient.Answer ready = runner.send(runner.unauthenticated("/readyz").GET());
    ApiClient.Answer metrics = runner.send(runner.unauthenticated("/metrics").GET());

    // then
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("agent_runner_active_runs");
  }

  @Test
  void shouldRunToSuccessAndReportResultStepsUsageAndMetrics() throws Exception {
    // given
    runner =
        api.start(
            Turn.call("write_file", "{\"path\":\"notes.txt\",\"content\":\"hello\\n\"}"),
            Turn.say("I wrote notes.txt."));

    // when
    ApiClient.Answer started =
        runner.put(
            "/v1/runs/run-1",
            ApiClient.allowingEveryTool("{\"prompt\":\"write a note\",\"runName\":\"default/a\"}"));
    JsonNode summary = runner.awaitPhase("run-1", "Succeeded");

    // then
    assertThat(started.status()).isEqualTo(201);
    assertThat(started.json().path("uid").asText()).isEqualTo("run-1");
    assertThat(summary.path("reason").asText()).isEqualTo("Completed");
    assertThat(summary.path("steps").asInt()).isEqualTo(2);
    assertThat(summary.path("toolCalls").asInt()).isEqualTo(1);
    assertThat(summary.path("usage").path("inputTokens").asLong()).isEqualTo(200);
    assertThat(summary.path("usage").path("outputTokens").asLong()).isEqualTo(20);
    assertThat(summary.path("usage").path("totalTokens").asLong()).isEqualTo(220);
    assertThat(summary.path("result").path("text").asText()).isEqualTo("I wrote notes.txt.");
    assertThat(summary.path("result").path("truncated").asBoolean()).isFalse();
    assertThat(summary.path("pendingApprovals")).isEmpty();
    assertThat(summary.path("startedAt").asText()).isNotEmpty();
    assertThat(summary.path("finishedAt").asText()).isNotEmpty();
    assertThat(Files.readString(runner.workspace.resolve("notes.txt"))).isEqualTo("hello\n");
    String metrics = runner.send(runner.unauthenticated("/metrics").GET()).body();
    assertThat(metrics)
        .contains("agent_runner_tool_calls_total{outcome=\"ok\",tool=\"write_file\"} 1.0")
        .contains("agent_runner_runs_total{outcome=\"Succeeded\",reason=\"Completed\"} 1.0")
        .contains("agent_runner_tokens_total{type=\"input\"} 200.0")
        .contains("agent_runner_model_latency_seconds_count")
        .contains("agent_runner_step_duration_seconds_count");
    JsonNode list = runner.get("/v1/runs").json();
    assertThat(list.path("runs").get(0).path("uid").asText()).isEqualTo("run-1");
    assertThat(list.path("runs").get(0).path("phase").asText()).isEqualTo("Succeeded");
  }

  @Test
  void shouldAnswerTheSameUidAgainWithItsCurrentStateAndStartNothingNew() throws Exception {
    // given
    runner = api.start(Turn.say("first and only answer"));
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"say something\"}"));
    runner.awaitPhase("run-1", "Succeeded");
    int requestsBefore = api.model().requests();

    // when
    ApiClient.Answer again =
        runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"say something\"}"));

    // then
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("phase").asText()).isEqualTo("Succeeded");
    assertThat(again.json().path("result").path("text").asText())
        .isEqualTo("first and only answer");
    assertThat(api.model().requests()).isEqualTo(requestsBefore);
    assertThat(types(runner.events("run-1")))
        .containsExactly("run.started", "step.started", "llm.completed", "run.succeeded");
  }

  @Test
  void shouldRefuseASecondRunWhileOneIsActiveNamingTheActiveRun() throws Exception {
    // given
    runner = api.start(Turn.say("done"));
    api.model().hold(1);
    runner.put("/v1/runs/run-a", ApiClient.allowingEveryTool("{\"prompt\":\"slow task\"}"));
    assertThat(api.model().awaitRequest(1, 30)).isTrue();

    // when
    ApiClient.Answer second =
        runner.put("/v1/runs/run-b", ApiClient.allowingEveryTool("{\"prompt\":\"other task\"}"));
    ApiClient.Answer sameAgain =
        runner.put("/v1/runs/run-a", ApiClient.allowingEveryTool("{\"prompt\":\"slow task\"}"));

    // then
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().path("activeRun").asText()).isEqualTo("run-a");
    assertThat(second.json().path("error").asText()).contains("run-a");
    assertThat(sameAgain.status()).isEqualTo(200);
    assertThat(runner.get("/v1/runs").json().path("active").asText()).isEqualTo("run-a");
    assertThat(runner.get("/v1/runs/run-b").status()).isEqualTo(404);

    // and when the first run ends, the second may start
    api.model().release(1);
    runner.awaitPhase("run-a", "Succeeded");
    assertThat(
            runner
                .put("/v1/runs/run-b", ApiClient.allowingEveryTool("{\"prompt\":\"other task\"}"))
                .status())
        .isEqualTo(201);
  }

  @Test
  void shouldPlayTheReplayCassetteFromItsFirstTurnForEachRun() throws Exception {
    // given: a runner on the replay provider (no model endpoint at all)
    Path cassette = api.root().resolve("cassette.yaml");
    Files.writeString(
        cassette,
        """
        turns:
          - toolCalls:
              - name: write_file
                arguments: {path: replayed.txt, content: "from the cassette"}
          - content: "Replayed."
        """);
    runner =
        api.start(
            java.util.Map.of(
                "AGENT_MODEL_PROVIDER", "replay", "AGENT_MODEL_CASSETTE", cassette.toString()));

    // when: two runs, one after the other
    runner.put("/v1/runs/first", ApiClient.allowingEveryTool("{\"prompt\":\"replay it\"}"));
    JsonNode first = runner.awaitPhase("first", "Succeeded");
    runner.put("/v1/runs/second", ApiClient.allowingEveryTool("{\"prompt\":\"replay it again\"}"));
    JsonNode second = runner.awaitPhase("second", "Succeeded");

    // then
    assertThat(first.path("result").path("text").asText()).isEqualTo("Replayed.");
    assertThat(second.path("result").path("text").asText()).isEqualTo("Replayed.");
    assertThat(Files.readString(runner.workspace.resolve("replayed.txt")))
        .isEqualTo("from the cassette");
    assertThat(api.model().requests()).isZero();
  }

  @Test
  void shouldAnswer404ForAnUnknownRun() throws Exception {
    // given
    runner = api.start(Turn.say("done"));

    // when
    ApiClient.Answer summary = runner.get("/v1/runs/nope");
    ApiClient.Answer events = runner.get("/v1/runs/nope/events");
    ApiClient.Answer cancel = runner.post("/v1/runs/nope/cancel", "");

    // then
    assertThat(List.of(summary.status(), events.status(), cancel.status())).containsOnly(404);
    assertThat(summary.json().path("error").asText()).contains("nope");
  }

  @Test
  void shouldKeepTheTokenAndModelKeyOutOfEventsConsoleAndSummaries() throws Exception {
    // given: a tool call whose output would print both secrets if the environment leaked
    runner =
        api.start(
            Turn.call(
                "shell",
                "{\"command\":\"echo token=$AGENT_RUNNER_TOKEN key=$AGENT_MODEL_API_KEY; echo "
                    + ApiClient.TOKEN
                    + "\"}"),
            Turn.say("I printed them."));

    // when
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"print the secrets\"}"));
    JsonNode summary = runner.awaitPhase("run-1", "Succeeded");

    // then
    String everything =
        runner.events("run-1").toString()
            + summary
            + runner.console()
            + runner.get("/v1/runs").body();
    assertThat(everything)
        .doesNotContain(ApiClient.TOKEN)
        .doesNotContain(RunnerHarness.API_KEY)
        .contains("<redacted>");
  }

  static List<String> types(JsonNode eventList) {
    List<String> types = new ArrayList<>();
    eventList.path("events").forEach(e -> types.add(e.path("type").asText()));
    return types;
  }
}
