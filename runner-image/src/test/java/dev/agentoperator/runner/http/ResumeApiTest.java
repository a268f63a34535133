package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResumeApiTest {

  private static final String TASK =
      "{\"prompt\":\"write then run\",\"tools\":{\"allow\":[\"write_file\"],\"ask\":[\"shell\"]}}";

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness first;
  private RunnerHarness second;

  @Test
  void shouldContinueFromTheCheckpointAfterTheRunnerIsDiscardedAndRebuilt() throws Exception {
    // given: a run that wrote a file and now waits for approval when its runner dies
    first =
        api.start(
            Turn.call("write_file", "{\"path\":\"step1.txt\",\"content\":\"one\"}"),
            Turn.call("shell", "{\"command\":\"echo two > step2.txt\"}"),
            Turn.say("both steps done"));
    first.put("/v1/runs/run-1", TASK);
    first.awaitPhase("run-1", "AwaitingApproval");
    JsonNode historyBefore = first.events("run-1").path("events");
    first.abandon();

    // when: a new runner on the same directories is asked to resume
    second = api.restart();
    JsonNode interrupted = second.get("/v1/runs/run-1").json();
    JsonNode replayedHistory = second.events("run-1").path("events");
    ApiClient.Answer withoutResume = second.put("/v1/runs/run-1", TASK);
    ApiClient.Answer resumed =
        second.put("/v1/runs/run-1", TASK.replace("}}", "},\"resume\":true}"));
    String id =
        second
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();
    second.post("/v1/runs/run-1/approvals", "{\"id\":\"" + id + "\",\"decision\":\"approve\"}");
    JsonNode done = second.awaitPhase("run-1", "Succeeded");

    // then: the restarted runner served the same history and said how to continue
    assertThat(replayedHistory).isEqualTo(historyBefore);
    assertThat(interrupted.path("phase").asText()).isEqualTo("AwaitingApproval");
    assertThat(interrupted.path("message").asText()).contains("resume: true");
    assertThat(interrupted.path("interrupted").asBoolean())
        .as("the operator tells an interrupted run from a running one by this flag")
        .isTrue();
    assertThat(done.path("interrupted").asBoolean()).isFalse();
    assertThat(withoutResume.status()).isEqualTo(200);
    assertThat(resumed.status()).isEqualTo(201);
    // and the run ended as it would have without the restart
    assertThat(done.path("result").path("text").asText()).isEqualTo("both steps done");
    assertThat(done.path("steps").asInt()).isEqualTo(3);
    assertThat(Files.readString(api.root().resolve("workspace/step1.txt"))).isEqualTo("one");
    assertThat(Files.readString(api.root().resolve("workspace/step2.txt")).strip())
        .isEqualTo("two");
    // with one gap-free history, the first step's tool not run again
    List<JsonNode> events =
        CancelAndApprovalsApiTest.iterable(second.events("run-1").path("events"));
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("seq").asLong()).isEqualTo(i + 1L);
    }
    assertThat(events.subList(0, historyBefore.size()))
        .isEqualTo(CancelAndApprovalsApiTest.iterable(historyBefore));
    List<JsonNode> starts =
        events.stream().filter(e -> e.path("type").asText().equals("run.started")).toList();
    assertThat(starts).hasSize(2);
    assertThat(starts.get(1).path("data").path("resumed").asBoolean()).isTrue();
    assertThat(starts.get(1).path("data").path("attempt").asInt()).isEqualTo(2);
    assertThat(
            events.stream()
                .filter(e -> e.path("type").asText().equals("tool.called"))
                .map(e -> e.path("data").path("tool").asText())
                .toList())
        .containsExactly("write_file", "shell");
  }

  @Test
  void shouldResumeAReplayRunAtTheTurnItHadReached() throws Exception {
    // given: a replay run that played two of its three turns when its runner died
    Path cassette = api.root().resolve("cassette.yaml");
    Files.writeString(
        cassette,
        """
        turns:
          - toolCalls:
              - name: write_file
                arguments: {path: one.txt, content: "1"}
          - toolCalls:
              - name: shell
                arguments: {command: "echo 2 > two.txt"}
          - content: "replayed to the end"
        """);
    Map<String, String> replay =
        Map.of("AGENT_MODEL_PROVIDER", "replay", "AGENT_MODEL_CASSETTE", cassette.toString());
    first = api.start(replay);
    first.put("/v1/runs/run-1", TASK);
    first.awaitPhase("run-1", "AwaitingApproval");
    first.abandon();

    // when
    second = api.restart(replay);
    second.put("/v1/runs/run-1", TASK.replace("}}", "},\"resume\":true}"));
    String id =
        second
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();
    second.post("/v1/runs/run-1/approvals", "{\"id\":\"" + id + "\",\"decision\":\"approve\"}");
    JsonNode done = second.awaitPhase("run-1", "Succeeded");

    // then: the resumed run got the third turn, not the cassette's first again
    assertThat(done.path("result").path("text").asText()).isEqualTo("replayed to the end");
    assertThat(done.path("steps").asInt()).isEqualTo(3);
    assertThat(Files.readString(api.root().resolve("workspace/two.txt")).strip()).isEqualTo("2");
  }

  @Test
  void shouldUseAnApprovalGivenWhileTheRunWasNotRunningOnceItResumes() throws Exception {
    // given: the runner died while the run waited for approval
    first =
        api.start(
            Turn.call("shell", "{\"command\":\"echo yes > approved.txt\"}"), Turn.say("done"));
    first.put("/v1/runs/run-1", TASK);
    String id =
        first
            .awaitPhase("run-1", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();
    first.abandon();
    second = api.restart();

    // when: the operator replays the approval before it resumes the run
    ApiClient.Answer approval =
        second.post("/v1/runs/run-1/approvals", "{\"id\":\"" + id + "\",\"decision\":\"approve\"}");
    second.put("/v1/runs/run-1", TASK.replace("}}", "},\"resume\":true}"));

    // then: the resumed run asks again, finds the answer and goes on without another request
    assertThat(approval.status()).isEqualTo(200);
    second.awaitPhase("run-1", "Succeeded");
    assertThat(Files.readString(api.root().resolve("workspace/approved.txt")).strip())
        .isEqualTo("yes");
  }

  @Test
  void shouldCancelAnInterruptedRunThatIsNotRunningAndNotResumeItLater() throws Exception {
    // given
    first = api.start(Turn.call("shell", "{\"command\":\"true\"}"), Turn.say("done"));
    first.put("/v1/runs/run-1", TASK);
    first.awaitPhase("run-1", "AwaitingApproval");
    first.abandon();
    second = api.restart();

    // when
    ApiClient.Answer cancel = second.post("/v1/runs/run-1/cancel", "");
    ApiClient.Answer resume =
        second.put("/v1/runs/run-1", TASK.replace("}}", "},\"resume\":true}"));

    // then
    assertThat(cancel.status()).isEqualTo(202);
    assertThat(cancel.json().path("phase").asText()).isEqualTo("Cancelled");
    assertThat(resume.status()).isEqualTo(200);
    assertThat(resume.json().path("phase").asText()).isEqualTo("Cancelled");
    assertThat(RunsApiTest.types(second.events("run-1"))).endsWith("run.cancelled");
  }
}
