package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SnapshotsApiTest {

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldCommitTheWorkspaceAfterAStepThatChangedFilesAndReportTheCommit() throws Exception {
    // given
    runner =
        api.start(
            Turn.call("write_file", "{\"path\":\"src/app.txt\",\"content\":\"v1\\n\"}"),
            Turn.say("done"));

    // when
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"write the app\"}"));
    JsonNode summary = runner.awaitPhase("run-1", "Succeeded");

    // then
    JsonNode event =
        EventsLongPollTest.find(
            CancelAndApprovalsApiTest.iterable(runner.events("run-1").path("events")),
            "snapshot.created");
    String commit = event.path("data").path("commit").asText();
    assertThat(event.path("data").path("step").asInt()).isEqualTo(1);
    assertThat(summary.path("snapshot").path("commit").asText()).isEqualTo(commit);
    assertThat(summary.path("snapshot").path("count").asInt()).isEqualTo(1);
    try (Repository git =
            new FileRepositoryBuilder()
                .setGitDir(runner.stateDir.resolve("snapshots.git").toFile())
                .build();
        RevWalk walk = new RevWalk(git)) {
      RevCommit made = walk.parseCommit(ObjectId.fromString(commit));
      assertThat(made.getFullMessage()).contains("run-1").contains("step 1");
      assertThat(TreeWalk.forPath(git, "src/app.txt", made.getTree())).isNotNull();
    }
    assertThat(Files.exists(runner.workspace.resolve(".git"))).isFalse();
  }

  @Test
  void shouldRestoreAnEarlierSnapshotBeforeTheFirstStep() throws Exception {
    // given: run one writes a.txt, run two changes it and adds b.txt; an ignored file exists
    runner =
        api.startWithScripts(
            Map.of(
                "first",
                List.of(
                    Turn.call("write_file", "{\"path\":\"a.txt\",\"content\":\"one\"}"),
                    Turn.say("first done")),
                "second",
                List.of(
                    Turn.call("write_file", "{\"path\":\"a.txt\",\"content\":\"two\"}"),
                    Turn.call("write_file", "{\"path\":\"b.txt\",\"content\":\"new\"}"),
                    Turn.say("second done")),
                "third",
                List.of(Turn.call("read_file", "{\"path\":\"a.txt\"}"), Turn.say("third done"))));
    Files.writeString(runner.workspace.resolve(".gitignore"), "*.log\n");
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"first\"}"));
    String first = runner.awaitPhase("run-1", "Succeeded").path("snapshot").path("commit").asText();
    runner.put("/v1/runs/run-2", ApiClient.allowingEveryTool("{\"prompt\":\"second\"}"));
    runner.awaitPhase("run-2", "Succeeded");
    Files.writeString(runner.workspace.resolve("build.log"), "ignored output");

    // when
    ApiClient.Answer started =
        runner.put(
            "/v1/runs/run-3",
            ApiClient.allowingEveryTool(
                "{\"prompt\":\"third\",\"restoreSnapshot\":\"" + first.substring(0, 12) + "\"}"));
    runner.awaitPhase("run-3", "Succeeded");

    // then
    assertThat(started.status()).isEqualTo(201);
    assertThat(Files.readString(runner.workspace.resolve("a.txt"))).isEqualTo("one");
    assertThat(Files.exists(runner.workspace.resolve("b.txt"))).isFalse();
    assertThat(Files.readString(runner.workspace.resolve("build.log"))).isEqualTo("ignored output");
    JsonNode readResult =
        EventsLongPollTest.find(
            CancelAndApprovalsApiTest.iterable(runner.events("run-3").path("events")),
            "tool.result");
    assertThat(readResult.path("data").path("output").asText()).contains("one");
  }

  @Test
  void shouldFailTheRunAtOnceWhenTheSnapshotToRestoreDoesNotExist() throws Exception {
    // given
    runner = api.start(Turn.say("should not be asked"));
    Files.writeString(runner.workspace.resolve("keep.txt"), "untouched");

    // when
    ApiClient.Answer started =
        runner.put(
            "/v1/runs/run-1",
            ApiClient.allowingEveryTool(
                "{\"prompt\":\"task\",\"restoreSnapshot\":\"deadbeef00\"}"));
    JsonNode summary = runner.awaitPhase("run-1", "Failed");

    // then
    assertThat(started.status()).isEqualTo(201);
    assertThat(summary.path("reason").asText()).isEqualTo("SnapshotNotFound");
    assertThat(summary.path("message").asText()).contains("deadbeef00");
    assertThat(api.model().requests()).isZero();
    assertThat(Files.readString(runner.workspace.resolve("keep.txt"))).isEqualTo("untouched");
    assertThat(RunsApiTest.types(runner.events("run-1")))
        .containsExactly("run.started", "run.failed");
    // and a later resume reports the failure instead of running the task
    ApiClient.Answer resumed =
        runner.put(
            "/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\",\"resume\":true}"));
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().path("phase").asText()).isEqualTo("Failed");
  }
}
