package dev.agentoperator.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl plugin's argument handling and the requests it builds. A recording stand-in for
 * kubectl answers its reads, so the test sees exactly which kubectl commands a user's command
 * turns into (kubectl itself cannot talk to the local cluster: it serves no API discovery).
 */
class KubectlAgentPluginTest {

  private static final Path PLUGIN = Path.of("src/main/scripts/kubectl-agent");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path log;
  private final Map<String, String> answers = new HashMap<>();

  /** What the plugin ran: one list of arguments per kubectl invocation. */
  private List<List<String>> invocations() throws IOException {
    List<List<String>> result = new ArrayList<>();
    if (!Files.exists(log)) {
      return result;
    }
    for (String record : Files.readString(log).split("\u001e")) {
      if (!record.isEmpty()) {
        result.add(Arrays.asList(record.split("\u0000", -1)).subList(0, record.split("\u0000", -1).length - 1));
      }
    }
    return result;
  }

  record Outcome(int exitCode, String stdout, String stderr) {}

  @BeforeEach
  void fakeKubectl() throws IOException {
    log = dir.resolve("kubectl.log");
    Path kubectl = dir.resolve("kubectl");
    Files.writeString(
        kubectl,
        """
        #!/usr/bin/env bash
        for a in "$@"; do printf '%s\\0' "$a" >> "$FAKE_LOG"; done
        printf '\\036' >> "$FAKE_LOG"
        if [[ "$1 $2" == "auth whoami" ]]; then
          if [[ -n "${FAKE_WHOAMI_ERROR:-}" ]]; then echo "$FAKE_WHOAMI_ERROR" >&2; exit 1; fi
          printf '%s' "${FAKE_WHOAMI-alice@example.com}"
        fi
        if [[ "$1" == get ]]; then
          for a in "$@"; do
            case "$a" in
              'jsonpath={.spec.approvals}') printf '%s' "${FAKE_APPROVALS:-}" ;;
              'jsonpath={.spec.answers}') printf '%s' "${FAKE_ANSWERS:-}" ;;
              'jsonpath={range .status.pendingQuestions'*) printf '%s' "${FAKE_QUESTIONS:-}" ;;
              'jsonpath={.status.podName}') printf '%s' "${FAKE_POD:-}" ;;
              'jsonpath={.status.phase}') printf '%s' "${FAKE_PHASE:-}" ;;
              'jsonpath={.status.result.text}') printf '%s' "${FAKE_RESULT:-}" ;;
              'jsonpath={.status.result.truncated}') printf '%s' "${FAKE_TRUNCATED:-}" ;;
              'jsonpath={range .status.pendingApprovals'*) printf '%s' "${FAKE_PENDING:-}" ;;
              'jsonpath={.status.pendingApprovals[?'*) printf '%s' "${FAKE_SUMMARY:-}" ;;
            esac
          done
        fi
        """);
    Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Outcome run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", PLUGIN.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECTL", dir.resolve("kubectl").toString());
    builder.environment().put("FAKE_LOG", log.toString());
    builder.environment().putAll(answers);
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Outcome(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private JsonNode patchOf(List<String> invocation) throws IOException {
    assertThat(invocation).contains("patch");
    return JSON.readTree(invocation.get(invocation.indexOf("-p") + 1));
  }

  @Test
  void shouldCreateTheApprovalsListWithTheFirstAnswer() throws Exception {
    Outcome outcome = run("approve", "release-notes", "a1");

    assertThat(outcome.exitCode()).isZero();
    List<String> patch = invocations().getLast();
    assertThat(patch).containsSequence("patch", "agentrun", "release-notes").contains("--type=json");
    JsonNode op = patchOf(patch).get(0);
    assertThat(op.get("op").asText()).isEqualTo("add");
    assertThat(op.get("path").asText()).isEqualTo("/spec/approvals");
    assertThat(op.get("value").get(0).get("id").asText()).isEqualTo("a1");
    assertThat(op.get("value").get(0).get("decision").asText()).isEqualTo("approve");
    assertThat(op.get("value").get(0).has("reason")).isFalse();
    assertThat(op.get("value").get(0).get("by").asText()).isEqualTo("alice@example.com");
    assertThat(invocations())
        .contains(List.of("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"));
  }

  @Test
  void shouldRefuseToApproveWhenItCannotTellWhoYouAre() throws Exception {
    answers.put("FAKE_WHOAMI_ERROR", "error: You must be logged in to the server (Unauthorized)");

    Outcome outcome = run("approve", "release-notes", "a1");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("Unauthorized")
        .contains("could not tell who you are from kubectl auth whoami");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldRefuseAnEmptyUsernameFromWhoami() throws Exception {
    answers.put("FAKE_WHOAMI", "");

    Outcome outcome = run("approve", "release-notes", "a1");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("could not tell who you are");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldOfferNoWayToAnswerInSomeoneElsesName() throws Exception {
    Outcome outcome = run("approve", "release-notes", "a1", "--by", "bob");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("there is no --by");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldAppendADenialWithItsReasonIntactToExistingApprovals() throws Exception {
    answers.put("FAKE_APPROVALS", "[{\"id\":\"a0\",\"decision\":\"approve\"}]");
    String reason = "not on a \"Friday\"\\ nor\tnow,\nsorry";

    Outcome outcome = run("approve", "-n", "team-a", "release-notes", "a1", "--deny", "--reason", reason);

    assertThat(outcome.exitCode()).isZero();
    List<String> patch = invocations().getLast();
    assertThat(patch).containsSequence("-n", "team-a");
    JsonNode op = patchOf(patch).get(0);
    assertThat(op.get("path").asText()).isEqualTo("/spec/approvals/-");
    assertThat(op.get("value").get("decision").asText()).isEqualTo("deny");
    assertThat(op.get("value").get("reason").asText()).isEqualTo(reason);
    assertThat(op.get("value").get("by").asText()).isEqualTo("alice@example.com");
  }

  @Test
  void shouldRefuseAnApprovalIdThatCannotExistWithoutPatching() throws Exception {
    Outcome outcome = run("approve", "release-notes", "a1; rm -rf /");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("is not an approval id");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldListWhatIsPendingWhenNoIdIsGiven() throws Exception {
    answers.put("FAKE_PENDING", "approval-3-1\tgit_push\tgit_push: push release-notes at"
        + " 0123456789abcdef0123456789abcdef01234567 to https://github.com/acme/app.git");

    Outcome outcome = run("approve", "release-notes");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).contains("ID\tTOOL\tSUMMARY", "approval-3-1", "release-notes",
        "0123456789abcdef0123456789abcdef01234567", "https://github.com/acme/app.git");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldShowTheSummaryOfTheApprovalBeingAnswered() throws Exception {
    answers.put("FAKE_SUMMARY", "git_push: push release-notes at 0123abc to https://x/y.git");

    Outcome outcome = run("approve", "release-notes", "a1");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stderr()).contains("approving a1: git_push: push release-notes at 0123abc");
  }

  @Test
  void shouldSayHowToApproveWhenArgumentsAreMissing() throws Exception {
    Outcome outcome = run("approve", "release-notes");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("usage: kubectl agent approve RUN ID");
  }

  @Test
  void shouldCancelWithAMergePatchOfSpecCancel() throws Exception {
    Outcome outcome = run("cancel", "hello-replay");

    assertThat(outcome.exitCode()).isZero();
    List<String> patch = invocations().getLast();
    assertThat(patch).contains("--type=merge");
    assertThat(patchOf(patch).at("/spec/cancel").asBoolean()).isTrue();
  }

  @Test
  void shouldFollowTheRunnerContainerOfTheRunsPod() throws Exception {
    answers.put("FAKE_POD", "webapp-sandbox");

    Outcome outcome = run("logs", "add-readme-section", "-f", "--namespace=team-a");

    assertThat(outcome.exitCode()).isZero();
    assertThat(invocations().getLast())
        .containsSequence("logs", "webapp-sandbox", "-c", "runner")
        .contains("-f")
        .containsSequence("-n", "team-a");
  }

  @Test
  void shouldExplainThatARunWithoutAPodHasNoLogsYet() throws Exception {
    Outcome outcome = run("logs", "queued-run");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("has no sandbox pod yet");
    assertThat(invocations()).noneMatch(i -> i.contains("logs"));
  }

  @Test
  void shouldPrintTheResultAndSayWhenItWasCut() throws Exception {
    answers.put("FAKE_RESULT", "I wrote hello.txt.");
    answers.put("FAKE_TRUNCATED", "true");

    Outcome outcome = run("result", "hello-replay");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).isEqualTo("I wrote hello.txt.\n");
    assertThat(outcome.stderr()).contains("cut at 4 KiB");
  }

  @Test
  void shouldListRunsWithTheGivenFlags() throws Exception {
    Outcome outcome = run("runs", "-A");

    assertThat(outcome.exitCode()).isZero();
    assertThat(invocations().getLast()).containsExactly("get", "agentruns", "-A");
  }

  @Test
  void shouldRejectAnUnknownCommandWithUsage() throws Exception {
    Outcome outcome = run("approv", "x", "y");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("unknown command 'approv'").contains("kubectl agent approve");
  }

  @Test
  void shouldCreateTheAnswersListWithTheFirstAnswerTextIntact() throws Exception {
    String text = "the \"orders\" db,\nnot users";

    Outcome outcome = run("answer", "migrate", "question-2-1", text);

    assertThat(outcome.exitCode()).isZero();
    JsonNode op = patchOf(invocations().getLast()).get(0);
    assertThat(op.get("op").asText()).isEqualTo("add");
    assertThat(op.get("path").asText()).isEqualTo("/spec/answers");
    assertThat(op.get("value").get(0).get("id").asText()).isEqualTo("question-2-1");
    assertThat(op.get("value").get(0).get("answer").asText()).isEqualTo(text);
    assertThat(op.get("value").get(0).get("by").asText()).isEqualTo("alice@example.com");
  }

  @Test
  void shouldRefuseToAnswerWhenItCannotTellWhoYouAre() throws Exception {
    answers.put("FAKE_WHOAMI_ERROR", "error: You must be logged in to the server (Unauthorized)");

    Outcome outcome = run("answer", "migrate", "question-2-1", "orders");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr())
        .contains("could not tell who you are from kubectl auth whoami")
        .contains("spec.answers[].by");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldAppendAnAnswerToExistingAnswersInTheGivenNamespace() throws Exception {
    answers.put("FAKE_ANSWERS", "[{\"id\":\"question-1-1\",\"answer\":\"yes\"}]");

    Outcome outcome = run("answer", "-n", "team-a", "migrate", "question-2-1", "orders");

    assertThat(outcome.exitCode()).isZero();
    List<String> patch = invocations().getLast();
    assertThat(patch).containsSequence("-n", "team-a");
    JsonNode op = patchOf(patch).get(0);
    assertThat(op.get("path").asText()).isEqualTo("/spec/answers/-");
    assertThat(op.get("value").get("answer").asText()).isEqualTo("orders");
    assertThat(op.get("value").get("by").asText()).isEqualTo("alice@example.com");
  }

  @Test
  void shouldRefuseABadQuestionIdOrAnEmptyAnswerWithoutPatching() throws Exception {
    Outcome badId = run("answer", "migrate", "q; rm -rf /", "x");
    Outcome empty = run("answer", "migrate", "question-2-1", "");

    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.stderr()).contains("is not a question id");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.stderr()).contains("the answer is empty");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }

  @Test
  void shouldListPendingQuestionsWhenNoIdIsGiven() throws Exception {
    answers.put("FAKE_QUESTIONS", "question-2-1\tWhich database?\t[\"orders\",\"users\"]");

    Outcome outcome = run("answer", "migrate");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.stdout()).contains("ID\tQUESTION\tCHOICES", "question-2-1", "Which database?");
    assertThat(outcome.stderr()).contains("kubectl agent answer migrate ID TEXT");
    assertThat(invocations()).noneMatch(i -> i.contains("patch"));
  }
}
