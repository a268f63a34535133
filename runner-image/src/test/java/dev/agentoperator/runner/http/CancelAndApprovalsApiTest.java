package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CancelAndApprovalsApiTest {

  private static final String ASK_SHELL =
      "{\"prompt\":\"make a file\",\"tools\":{\"allow\":[\"read_file\"],\"ask\":[\"shell\"]}}";

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldCancelARunInTheMiddleOfAModelCall() throws Exception {
    // given
    runner = api.start(Turn.say("never delivered"));
    api.model().hold(1);
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    assertThat(api.model().awaitRequest(1, 30)).isTrue();

    // when
    ApiClient.Answer cancel = runner.post("/v1/runs/run-1/cancel", "");

    // then
    assertThat(cancel.status()).isEqualTo(202);
    JsonNode summary = runner.awaitPhase("run-1", "Cancelled");
    assertThat(summary.path("reason").asText()).isEqualTo("Cancelled");
    assertThat(RunsApiTest.types(runner.events("run-1"))).endsWith("run.cancelled");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runner.get("/v1/runs").json().path("active").isNull());
  }

  @Test
  void shouldLeaveAFinishedRunAsItIsWhenCancelled() throws Exception {
    // given
    runner = api.start(Turn.say("done"));
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    long lastSeq = runner.awaitPhase("run-1", "Succeeded").path("lastSeq").asLong();

    // when
    ApiClient.Answer cancel = runner.post("/v1/runs/run-1/cancel", "");

    // then
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.json().path("phase").asText()).isEqualTo("Succeeded");
    assertThat(cancel.json().path("lastSeq").asLong()).isEqualTo(lastSeq);
  }

  @Test
  void shouldRunTheToolAfterApprovalAndReportThePendingApprovalBefore() throws Exception {
    // given
    runner =
        api.start(
            Turn.call("shell", "{\"command\":\"echo approved > made.txt\"}"), Turn.say("made it"));
    runner.put("/v1/runs/run-1", ASK_SHELL);

    // when
    JsonNode waiting = runner.awaitPhase("run-1", "AwaitingApproval");
    JsonNode pending = waiting.path("pendingApprovals").get(0);
    String id = pending.path("id").asText();
    boolean ranBeforeApproval = Files.exists(runner.workspace.resolve("made.txt"));
    ApiClient.Answer answer =
        runner.post(
            "/v1/runs/run-1/approvals",
            "{\"id\":\"" + id + "\",\"decision\":\"approve\",\"reason\":\"fine\"}");

    // then
    assertThat(pending.path("tool").asText()).isEqualTo("shell");
    assertThat(pending.path("summary").asText()).contains("echo approved > made.txt");
    assertThat(pending.path("requestedAt").asText()).isNotEmpty();
    assertThat(ranBeforeApproval).as("the tool waits for the approval").isFalse();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("pendingApprovals")).isEmpty();
    runner.awaitPhase("run-1", "Succeeded");
    assertThat(Files.readString(runner.workspace.resolve("made.txt")).strip())
        .isEqualTo("approved");
    assertThat(RunsApiTest.types(runner.events("run-1")))
        .containsSubsequence(
            "approval.required", "approval.resolved", "tool.called", "tool.result");
  }

  @Test
  void shouldNotRunTheToolWhenDeniedAndTellTheModelWhy() throws Exception {
    // given
    runner =
        api.start(
            Turn.call("shell", "{\"command\":\"echo nope > denied.txt\"}"), Turn.say("understood"));
    runner.put("/v1/runs/run-1", ASK_SHELL);
    String id =
        runner
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();

    // when
    ApiClient.Answer answer =
        runner.post(
            "/v1/runs/run-1/approvals",
            "{\"id\":\""
                + id
                + "\",\"decision\":\"deny\",\"reason\":\"not on main\",\"by\":\"bob\"}");

    // then
    assertThat(answer.status()).isEqualTo(200);
    runner.awaitPhase("run-1", "Succeeded");
    assertThat(Files.exists(runner.workspace.resolve("denied.txt"))).isFalse();
    JsonNode resolved =
        EventsLongPollTest.find(
            iterable(runner.events("run-1").path("events")), "approval.resolved");
    assertThat(resolved.path("data").path("decision").asText()).isEqualTo("deny");
    assertThat(resolved.path("data").path("reason").asText()).isEqualTo("not on main");
    assertThat(resolved.path("data").path("by").asText()).isEqualTo("bob");
    assertThat(RunsApiTest.types(runner.events("run-1"))).doesNotContain("tool.called");
  }

  @Test
  void shouldAnswer404ForAnApprovalTheRunNeverAskedFor() throws Exception {
    // given
    runner = api.start(Turn.call("shell", "{\"command\":\"true\"}"), Turn.say("ok"));
    runner.put("/v1/runs/run-1", ASK_SHELL);
    String id =
        runner
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();

    // when
    ApiClient.Answer unknown =
        runner.post("/v1/runs/run-1/approvals", "{\"id\":\"made-up\",\"decision\":\"approve\"}");

    // then
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).contains("made-up").contains(id);
    assertThat(runner.get("/v1/runs/run-1").json().path("phase").asText())
        .isEqualTo("AwaitingApproval");
    runner.post("/v1/runs/run-1/approvals", "{\"id\":\"" + id + "\",\"decision\":\"deny\"}");
    runner.awaitPhase("run-1", "Succeeded");
  }

  @Test
  void shouldNotApproveACallWithAnApprovalWrittenForItsPositionBeforeItWasShown()
      throws Exception {
    // given an approval written in advance under the position's id (step 1, first call)
    runner = api.start(Turn.call("shell", "{\"command\":\"touch made.txt\"}"), Turn.say("ok"));
    runner.put("/v1/runs/run-1", ASK_SHELL);
    String shown =
        runner
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();

    // when it reaches the runner once the call waits
    ApiClient.Answer early =
        runner.post(
            "/v1/runs/run-1/approvals", "{\"id\":\"approval-1-1\",\"decision\":\"approve\"}");

    // then it approves nothing: the call waits under an id no one could know before it was shown
    assertThat(shown).startsWith("approval-1-1-").hasSizeGreaterThan("approval-1-1-".length() + 8);
    assertThat(early.status()).isEqualTo(404);
    assertThat(early.json().path("error").asText()).contains("approval-1-1").contains(shown);
    assertThat(runner.get("/v1/runs/run-1").json().path("phase").asText())
        .isEqualTo("AwaitingApproval");
    assertThat(runner.workspace.resolve("made.txt")).doesNotExist();
    runner.post("/v1/runs/run-1/approvals", "{\"id\":\"" + shown + "\",\"decision\":\"deny\"}");
    runner.awaitPhase("run-1", "Succeeded");
    assertThat(runner.workspace.resolve("made.txt")).doesNotExist();
  }

  @Test
  void shouldAcceptTheSameAnswerAgainAndRefuseADifferentOne() throws Exception {
    // given
    runner = api.start(Turn.call("shell", "{\"command\":\"true\"}"), Turn.say("ok"));
    runner.put("/v1/runs/run-1", ASK_SHELL);
    String id =
        runner
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();
    String approve = "{\"id\":\"" + id + "\",\"decision\":\"approve\"}";
    runner.post("/v1/runs/run-1/approvals", approve);

    // when
    ApiClient.Answer same = runner.post("/v1/runs/run-1/approvals", approve);
    ApiClient.Answer different =
        runner.post("/v1/runs/run-1/approvals", "{\"id\":\"" + id + "\",\"decision\":\"deny\"}");

    // then
    assertThat(same.status()).isEqualTo(200);
    assertThat(different.status()).isEqualTo(409);
    assertThat(different.json().path("error").asText()).contains("approve");
    runner.awaitPhase("run-1", "Succeeded");
  }

  @Test
  void shouldCancelARunThatWaitsForApproval() throws Exception {
    // given
    runner = api.start(Turn.call("shell", "{\"command\":\"true\"}"), Turn.say("ok"));
    runner.put("/v1/runs/run-1", ASK_SHELL);
    runner.awaitPhase("run-1", "AwaitingApproval");

    // when
    runner.post("/v1/runs/run-1/cancel", "");

    // then
    JsonNode summary = runner.awaitPhase("run-1", "Cancelled");
    assertThat(summary.path("pendingApprovals")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runner.get("/v1/runs").json().path("active").isNull());
  }

  static java.util.List<JsonNode> iterable(JsonNode array) {
    java.util.List<JsonNode> list = new java.util.ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
