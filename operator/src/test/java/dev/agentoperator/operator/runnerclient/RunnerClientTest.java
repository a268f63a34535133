package dev.agentoperator.operator.runnerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunRequest;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.operator.runnerclient.RunnerReply.Outcome;
import dev.agentoperator.operator.testing.FakeRunner;
import dev.agentoperator.operator.testing.RunScript;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunnerClientTest {

  private static final String TOKEN = "s3cret-token";
  private FakeRunner fake;
  private RunnerClient client;
  private RunnerEndpoint endpoint;

  @BeforeEach
  void startRunner() throws IOException {
    int port = freePort();
    fake =
        new FakeRunner(
            "127.0.0.1",
            port,
            prompt ->
                prompt.contains("approval")
                    ? RunScript.steps(3).withApprovalAtStep(2)
                    : prompt.contains("slow") ? RunScript.longRunning() : RunScript.steps(3));
    fake.start(TOKEN);
    client = new RunnerClient(port);
    endpoint = new RunnerEndpoint("127.0.0.1", TOKEN);
  }

  @AfterEach
  void stopRunner() {
    fake.close();
  }

  @Test
  void shouldStartARunAndAnswerTheSameUidIdempotently() {
    RunnerReply<RunSummary> first = client.start(endpoint, "uid-1", request("do it"));
    RunnerReply<RunSummary> again = client.start(endpoint, "uid-1", request("do it"));

    assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(first.body().uid()).isEqualTo("uid-1");
    assertThat(again.outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void shouldReportConflictWithTheActiveRunWhenAnotherRunIsActive() {
    client.start(endpoint, "uid-1", request("slow one"));

    RunnerReply<RunSummary> second = client.start(endpoint, "uid-2", request("another"));

    assertThat(second.outcome()).isEqualTo(Outcome.CONFLICT);
    assertThat(second.activeRun()).isEqualTo("uid-1");
  }

  @Test
  void shouldMapUnknownRunToNotFoundAndWrongTokenToUnauthorized() {
    assertThat(client.summary(endpoint, "nope").outcome()).isEqualTo(Outcome.NOT_FOUND);
    RunnerReply<RunSummary> refused =
        client.summary(new RunnerEndpoint("127.0.0.1", "wrong"), "nope");
    assertThat(refused.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
  }

  @Test
  void shouldReportUnreachableWhenNothingListens() throws IOException {
    RunnerClient nowhere = new RunnerClient(freePort());

    assertThat(nowhere.summary(endpoint, "uid").outcome()).isEqualTo(Outcome.UNREACHABLE);
  }

  @Test
  void shouldLongPollEventsUntilTheRunSucceeds() {
    client.start(endpoint, "uid-1", request("do it"));

    long after = 0;
    String phase = "Running";
    while (!RunPhase.isFinal(phase)) {
      RunnerReply<EventList> page = client.events(endpoint, "uid-1", after, 2);
      assertThat(page.isSuccess()).isTrue();
      for (RunEvent event : page.body().eventsOrEmpty()) {
        assertThat(event.seq()).isEqualTo(after + 1);
        after = event.seq();
      }
      phase = page.body().phase();
    }

    RunSummary summary = client.summary(endpoint, "uid-1").body();
    assertThat(summary.phase()).isEqualTo("Succeeded");
    assertThat(summary.steps()).isEqualTo(3);
    assertThat(summary.lastSeq()).isEqualTo(after);
  }

  @Test
  void shouldForwardAnApprovalWithWhoGaveItAndCancelARun() {
    client.start(endpoint, "uid-1", request("needs approval"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !client.summary(endpoint, "uid-1").body().pendingApprovalsOrEmpty().isEmpty());

    RunnerReply<RunSummary> approved =
        client.approve(
            endpoint, "uid-1", new ApprovalDecision("approval-2", "approve", "fine", "alice"));
    RunnerReply<RunSummary> unknown =
        client.approve(endpoint, "uid-1", new ApprovalDecision("nope", "approve", null, null));

    assertThat(approved.outcome()).isEqualTo(Outcome.OK);
    assertThat(unknown.outcome()).isEqualTo(Outcome.NOT_FOUND);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.summary(endpoint, "uid-1").body().isFinished());
    assertThat(client.cancel(endpoint, "uid-1").outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(client.events(endpoint, "uid-1", 0, 0).body().events())
        .filteredOn(e -> e.type().equals("approval.resolved"))
        .singleElement()
        .satisfies(e -> assertThat(e.data().path("by").asText()).isEqualTo("alice"));
  }

  @Test
  void shouldTreatAMalformedAnswerAsNoAnswerRatherThanThrowing() throws IOException {
    // given a "runner" that answers 200 with a JSON null, then with broken JSON
    var answers = new java.util.ArrayDeque<>(java.util.List.of("null", "{\"phase\": ", ""));
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = answers.poll().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      RunnerClient malformed = new RunnerClient(server.getAddress().getPort());

      for (int i = 0; i < 3; i++) {
        // when
        var reply = malformed.summary(endpoint, "uid-1");

        // then: not a success with a null body that would fail the reconcile later
        assertThat(reply.isSuccess()).isFalse();
        assertThat(reply.outcome()).isEqualTo(RunnerReply.Outcome.UNREACHABLE);
        assertThat(reply.error()).doesNotContain(TOKEN);
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldReturnTheBodyOfANotReadyRunnersReadyzAndNothingForAReadyOne() throws IOException {
    // given a runner that answers 503 with its reason, then 200
    var answers = new java.util.ArrayDeque<>(java.util.List.of(503, 200));
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/readyz",
        exchange -> {
          int code = answers.poll();
          byte[] body =
              (code == 503
                      ? "the workspace /data/workspace is not writable by this process\n"
                      : "ready\n")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(code, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      RunnerClient runner = new RunnerClient(server.getAddress().getPort());

      assertThat(runner.notReadyReason("127.0.0.1"))
          .contains("the workspace /data/workspace is not writable by this process");
      assertThat(runner.notReadyReason("127.0.0.1")).isEmpty();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldNeverPutTheTokenInAnEndpointsText() {
    assertThat(endpoint.toString()).doesNotContain(TOKEN);
  }

  static RunRequest request(String prompt) {
    return new RunRequest(prompt, "ns/run", null, null, null, null, null, null, null);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
