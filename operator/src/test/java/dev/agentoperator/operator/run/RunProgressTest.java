package dev.agentoperator.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.api.v1alpha1.AgentRunStatus;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.api.v1alpha1.PendingApproval;
import dev.agentoperator.operator.api.v1alpha1.ResolvedApproval;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunProgressTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldKeepOnlyTheLastTenStepsWithOneLineEach() {
    List<RunEvent> events = new ArrayList<>();
    long seq = 0;
    for (int step = 1; step <= 25; step++) {
      events.add(event(++seq, EventType.STEP_STARTED, JSON.createObjectNode().put("step", step)));
      events.add(
          event(
              ++seq,
              EventType.TOOL_CALLED,
              JSON.createObjectNode()
                  .put("step", step)
                  .put("tool", "shell")
                  .put("argument", "make " + step)));
    }

    List<StepSummary> recent = RunProgress.foldSteps(List.of(), events);

    assertThat(recent).hasSize(10);
    assertThat(recent.getFirst()).isEqualTo(new StepSummary(16, "shell: make 16"));
    assertThat(recent.getLast()).isEqualTo(new StepSummary(25, "shell: make 25"));
  }

  @Test
  void shouldFoldTheSameEventsTwiceWithoutChangingTheLines() {
    List<RunEvent> events =
        List.of(
            event(
                1,
                EventType.TOOL_CALLED,
                JSON.createObjectNode()
                    .put("step", 1)
                    .put("tool", "read_file")
                    .put("argument", "a.txt")),
            event(
                2,
                EventType.TOOL_RESULT,
                JSON.createObjectNode().put("step", 1).put("error", true)));

    List<StepSummary> once = RunProgress.foldSteps(List.of(), events);
    List<StepSummary> twice = RunProgress.foldSteps(once, events);

    assertThat(twice)
        .isEqualTo(once)
        .containsExactly(new StepSummary(1, "read_file: a.txt (error)"));
  }

  @Test
  void shouldCapTheResultAtFourKibibytesWithoutSplittingACharacter() {
    String text = "é".repeat(3000); // 6000 bytes

    var result = RunProgress.result(text, false);

    assertThat(result.truncated()).isTrue();
    assertThat(result.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(result.text()).matches("é+");
  }

  @Test
  void shouldNameTheToolOnceInTheLineOfAStepThatAsksApproval() {
    List<RunEvent> events =
        List.of(
            event(1, EventType.STEP_STARTED, JSON.createObjectNode().put("step", 1)),
            event(
                2,
                EventType.APPROVAL_REQUIRED,
                JSON.createObjectNode()
                    .put("step", 1)
                    .put("tool", "write_file")
                    .put("argument", "hello.txt")
                    .put("id", "approval-1-1-0123456789abcdef")
                    .put("summary", "write_file: hello.txt")));

    List<StepSummary> recent = RunProgress.foldSteps(List.of(), events);

    assertThat(recent)
        .containsExactly(new StepSummary(1, "asks approval for write_file: hello.txt"));
  }

  @Test
  void shouldDropThePlaceholderOfAStepSeenStartedOnceItDoesSomething() {
    List<StepSummary> started =
        RunProgress.foldSteps(
            List.of(),
            List.of(event(1, EventType.STEP_STARTED, JSON.createObjectNode().put("step", 1))));
    List<RunEvent> later =
        List.of(
            event(
                2,
                EventType.TOOL_CALLED,
                JSON.createObjectNode()
                    .put("step", 1)
                    .put("tool", "write_file")
                    .put("argument", "hello.txt")));

    List<StepSummary> recent = RunProgress.foldSteps(started, later);

    assertThat(started).containsExactly(new StepSummary(1, "started"));
    assertThat(recent).containsExactly(new StepSummary(1, "write_file: hello.txt"));
  }

  @Test
  void shouldNameTheCallOnceInTheMessageOfAPendingApproval() {
    PendingApproval pending =
        new PendingApproval(
            "approval-1-1-0123456789abcdef",
            "write_file",
            "write_file: hello.txt",
            "2026-11-22T10:00:00Z");

    String message = RunProgress.approvalRequiredMessage(pending);

    assertThat(message)
        .isEqualTo(
            "waiting for approval approval-1-1-0123456789abcdef (write_file: hello.txt);"
                + " answer it with `kubectl agent approve` or in spec.approvals");
  }

  private static RunEvent event(long seq, String type, ObjectNode data) {
    return new RunEvent(seq, type, "2026-11-22T10:00:00Z", "uid-1", data);
  }

  @Test
  void shouldKeepTheLastTenResolvedApprovalsWithTheApproverCut() throws Exception {
    List<ResolvedApproval> recent = List.of();
    for (int i = 1; i <= 12; i++) {
      recent =
          RunProgress.addResolved(
              recent,
              new ResolvedApproval(
                  "a" + i,
                  "shell",
                  ApprovalDecision.approve,
                  "system:serviceaccount:team-a:" + "x".repeat(300),
                  "2026-01-01T00:00:00Z"));
    }

    assertThat(recent).hasSize(10);
    assertThat(recent.getFirst().id()).isEqualTo("a3");
    assertThat(recent.getLast().id()).isEqualTo("a12");
    assertThat(recent.getLast().by()).hasSize(RunProgress.NAME_LIMIT).endsWith("…");
    assertThat(JSON.writeValueAsBytes(recent).length).isLessThan(3 * 1024);
  }

  @Test
  void shouldSayWhoDecidedInTheResolvedMessage() {
    var approved =
        new ResolvedApproval("a1", "shell", ApprovalDecision.approve, "alice", "2026-01-01T00:00:00Z");
    var unnamed =
        new ResolvedApproval("a2", "git_push", ApprovalDecision.deny, null, "2026-01-01T00:00:00Z");

    assertThat(RunProgress.resolvedMessage(approved, "git push origin main", null))
        .isEqualTo("approval a1 approved by alice: shell: git push origin main");
    assertThat(RunProgress.resolvedMessage(unnamed, null, "not yet"))
        .isEqualTo("approval a2 denied by (no one named): git_push (reason: not yet)");
  }

  @Test
  void shouldSayWhoAnsweredInTheAnsweredMessage() {
    assertThat(RunProgress.answeredMessage("question-1-1-0123456789abcdef", "alice"))
        .isEqualTo("question question-1-1-0123456789abcdef answered by alice");
    assertThat(RunProgress.answeredMessage("question-2-1-0123456789abcdef", null))
        .isEqualTo("question question-2-1-0123456789abcdef answered by (no one named)");
  }

  @Test
  void shouldNameTheToolOnceInTheResolvedMessageOfARunnerSummary() {
    var approved =
        new ResolvedApproval(
            "a1", "write_file", ApprovalDecision.approve, "alice", "2026-01-01T00:00:00Z");

    assertThat(RunProgress.resolvedMessage(approved, "write_file: hello.txt", null))
        .isEqualTo("approval a1 approved by alice: write_file: hello.txt");
  }

  @Test
  void shouldRecordTheLastPushAndPullRequestBoundedAndWithoutCredentials() {
    AgentRunStatus status = new AgentRunStatus();
    String longBranch = "agent/" + "x".repeat(1000);
    RunSummary summary = new RunSummary("u", "Running", null, null, 3, 2, null, List.of(), null,
        null, 9, null, null, false,
        new RunSummary.Push("https://github.com/acme/app.git", longBranch,
            "0123456789abcdef0123456789abcdef01234567", false, "2026-01-01T00:00:00Z"),
        new RunSummary.PullRequest("https://github.com/acme/app/pull/7", 7, "agent/notes", "main",
            "2026-01-01T00:00:01Z"),
        null);

    RunProgress.applySummary(status, summary);

    assertThat(status.getLastPush().branch()).hasSize(2 * RunProgress.NAME_LIMIT).endsWith("…");
    assertThat(status.getLastPush().commit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    assertThat(status.getPullRequest().number()).isEqualTo(7);
    assertThat(RunProgress.pushedMessage(status.getLastPush()))
        .startsWith("pushed agent/x").contains("0123456789abcdef", "to https://github.com/acme/app.git");
    assertThat(RunProgress.pullRequestMessage(status.getPullRequest()))
        .isEqualTo("pull request #7 from agent/notes into main: https://github.com/acme/app/pull/7");
  }

  @Test
  void shouldCopyPendingQuestionsBoundedSoTheStatusStaysSmall() {
    // given a runner (or something posing as one) that reports oversized questions
    AgentRunStatus status = new AgentRunStatus();
    List<RunSummary.PendingQuestion> questions = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      questions.add(
          new RunSummary.PendingQuestion(
              "question-" + i + "-1",
              "q".repeat(5000),
              java.util.Collections.nCopies(50, "c".repeat(1000)),
              "2026-01-01T00:00:00Z"));
    }
    RunSummary summary =
        new RunSummary("u", "AwaitingInput", null, null, 1, 1, null, List.of(), null, null, 3,
            null, null, false, null, null, questions);

    // when
    RunProgress.applySummary(status, summary);

    // then
    assertThat(status.getPendingQuestions()).hasSize(3);
    assertThat(status.getPendingQuestions().getFirst().id()).isEqualTo("question-0-1");
    assertThat(status.getPendingQuestions().getFirst().question().length()).isLessThanOrEqualTo(501);
    assertThat(status.getPendingQuestions().getFirst().choices()).hasSize(10);
    assertThat(status.getPendingQuestions().getFirst().choices().getFirst().length())
        .isLessThanOrEqualTo(101);
  }
}
