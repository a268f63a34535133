package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.FaultChecks.assertEndedOnce;
import static dev.agentoperator.operator.dev.FaultChecks.assertNoDuplicateEntries;
import static dev.agentoperator.operator.dev.FaultChecks.assertOneTerminalEvent;
import static dev.agentoperator.operator.dev.FaultChecks.assertStaysIn;
import static dev.agentoperator.operator.dev.FaultChecks.count;
import static dev.agentoperator.operator.dev.FaultChecks.lines;
import static dev.agentoperator.operator.dev.FaultChecks.texts;
import static dev.agentoperator.operator.dev.FaultChecks.transcript;
import static dev.agentoperator.operator.dev.ScriptedModel.Fault.cut;
import static dev.agentoperator.operator.dev.ScriptedModel.Fault.fail;
import static dev.agentoperator.operator.dev.ScriptedModel.Fault.slow;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.RunnerEnv;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model endpoint failing under a real runner process: a burst of server errors, an endpoint
 * that answers 500 for good, one nobody listens on, slow answers, and a streamed answer that stops
 * mid-message. Each run ends in exactly one terminal phase on its first attempt, and nothing
 * reaches the transcript twice or half done.
 */
class ModelFaultE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("model-fault").applying(MODEL_KEY_SECRET);

  @Test
  void shouldRetryABurstOfServerErrorsAndSucceedRunningTheToolOnce() throws Exception {
    // given an endpoint that answers the first three requests with 500, 500, 503
    model.faults("[burst]", fail(500), fail(500), fail(503));
    model.script("[burst]",
        call("shell", args("command", "echo ran >> calls.log; echo burst-$((40 + 2))")),
        say("Recovered after the burst."));

    // when a run talks to it
    cluster.apply(session("burst", model, null) + run("burst-run", "burst", "[burst] go"));

    // then the runner backs off and retries, and the run succeeds on its first attempt
    AgentRun run = cluster.awaitPhase("burst-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Recovered after the burst.");
    assertThat(model.requests("[burst]")).hasSize(5);
    assertThat(lines(cluster.workspace("burst").resolve("calls.log"))).containsExactly("ran");
    List<JsonNode> events = cluster.runnerEvents("burst", run);
    assertThat(count(events, "llm.completed")).isEqualTo(2);
    assertThat(count(events, "tool.called")).isEqualTo(1);
    assertOneTerminalEvent(events, "run.succeeded");
    List<JsonNode> transcript = transcript(cluster, "burst", run);
    assertNoDuplicateEntries(transcript);
    assertThat(texts(transcript, "tool")).singleElement().asString().contains("burst-42");
    assertStaysIn(cluster, "burst-run", AgentRunPhase.Succeeded);
    // with the harness's short pauses, not production's (this class would sleep ~1 min otherwise)
    assertThat(runnerEnvironment("burst"))
        .contains(RunnerEnv.MODEL_RETRY_BACKOFF_MS + "=20");
  }

  /** The live runner process's environment, as /proc shows it. */
  private static String runnerEnvironment(String session) throws Exception {
    ProcessHandle runner = cluster.cluster().pods()
        .process(LocalClusterExtension.NS, session + "-sandbox", "runner").orElseThrow();
    return Files.readString(Path.of("/proc", String.valueOf(runner.pid()), "environ"))
        .replace('\0', '\n');
  }

  @Test
  void shouldFailTheRunOnceWithAClearMessageWhenTheModelAnswers500ForGood() throws Exception {
    // given an endpoint that answers every request with 500
    model.down("[down]");
    model.script("[down]", say("never sent"));

    // when a run talks to it
    cluster.apply(session("down", model, null) + run("down-run", "down", "[down] go"));

    // then the runner gives up after its retries, and the run fails once, saying why
    AgentRun run = cluster.awaitPhase("down-run", AgentRunPhase.Failed);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    assertThat(run.getStatus().getMessage()).contains("model call failed after 6 attempts")
        .contains("500");
    assertThat(model.requests("[down]")).hasSize(6);
    List<JsonNode> events = cluster.runnerEvents("down", run);
    assertThat(count(events, "llm.completed")).isZero();
    assertOneTerminalEvent(events, "run.failed");
    assertStaysIn(cluster, "down-run", AgentRunPhase.Failed);
    assertThat(model.requests("[down]")).as("no further attempt after the run failed").hasSize(6);
  }

  @Test
  void shouldFailTheRunOnceSayingTheModelIsUnreachableWhenNobodyListens() throws Exception {
    // given a session whose model endpoint is a loopback port nobody listens on
    String nowhere;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nowhere = "http://127.0.0.1:" + closed.getLocalPort() + "/v1";
    }
    cluster.apply(session("nowhere", model, null).replace(model.baseUrl(), nowhere)
        + run("nowhere-run", "nowhere", "[nowhere] go"));

    // then the run fails once, after the runner's retries, naming the unreachable endpoint
    AgentRun run = cluster.awaitPhase("nowhere-run", AgentRunPhase.Failed);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    assertThat(run.getStatus().getMessage()).contains("model call failed after")
        .contains("cannot reach the model at " + nowhere);
    List<JsonNode> events = cluster.runnerEvents("nowhere", run);
    assertThat(count(events, "run.started")).isEqualTo(1);
    assertOneTerminalEvent(events, "run.failed");
    assertStaysIn(cluster, "nowhere-run", AgentRunPhase.Failed);
  }

  @Test
  void shouldWaitForASlowModelWithoutAskingItTwice() throws Exception {
    // given an endpoint that holds each answer back for 4 s
    model.faults("[slow]", slow(Duration.ofSeconds(4)), slow(Duration.ofSeconds(4)));
    model.script("[slow]",
        call("shell", args("command", "echo ran >> calls.log")), say("Slow but whole."));

    // when a run talks to it
    cluster.apply(session("slow", model, null) + run("slow-run", "slow", "[slow] go"));

    // then each turn is asked for once, and the run succeeds on its first attempt
    AgentRun run = cluster.awaitPhase("slow-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Slow but whole.");
    assertThat(model.requests("[slow]")).hasSize(2);
    assertThat(lines(cluster.workspace("slow").resolve("calls.log"))).containsExactly("ran");
    List<JsonNode> events = assertEndedOnce(cluster, "slow", run, 1);
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("llm.completed"))
        .map(e -> e.path("data").path("durationMs").asLong()))
        .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(4000));
  }

  @Test
  void shouldRetryAStreamedAnswerThatStopsMidMessageAndKeepOnlyTheWholeAnswer() throws Exception {
    // given an endpoint whose first streamed answer stops mid-sentence without [DONE]
    model.faults("[cut]", cut());
    model.script("[cut]", say("The whole answer, sent again."));

    // when a run talks to it
    cluster.apply(session("cut", model, null) + run("cut-run", "cut", "[cut] go"));

    // then the fragment is dropped, the request is retried, and the run has the whole answer
    AgentRun run = cluster.awaitPhase("cut-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    assertThat(run.getStatus().getResult().text()).isEqualTo("The whole answer, sent again.");
    assertThat(model.requests("[cut]")).hasSize(2);
    List<JsonNode> events = cluster.runnerEvents("cut", run);
    assertThat(count(events, "llm.completed")).isEqualTo(1);
    assertOneTerminalEvent(events, "run.succeeded");
    List<JsonNode> transcript = transcript(cluster, "cut", run);
    assertNoDuplicateEntries(transcript);
    assertThat(transcript.toString()).doesNotContain(ScriptedModel.CUT_TEXT);
    assertThat(texts(transcript, "assistant")).containsExactly("The whole answer, sent again.");
    assertStaysIn(cluster, "cut-run", AgentRunPhase.Succeeded);
  }
}
