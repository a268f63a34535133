package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventsLongPollTest {

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldReturnAsSoonAsANewEventExistsLongBeforeTheWaitEnds() throws Exception {
    // given: a run held in its first model call, and a poller caught up with its events
    runner = api.start(Turn.say("done"));
    api.model().hold(1);
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    assertThat(api.model().awaitRequest(1, 30)).isTrue();
    long caughtUp = runner.get("/v1/runs/run-1").json().path("lastSeq").asLong();
    assertThat(caughtUp).isEqualTo(2); // run.started, step.started

    // when: the poll waits up to 60 s and the model answers meanwhile
    CompletableFuture<ApiClient.Answer> poll =
        CompletableFuture.supplyAsync(
            () -> runner.get("/v1/runs/run-1/events?after=" + caughtUp + "&wait=60"));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !poll.isDone());
    api.model().release(1);

    // then: the poll returns with the new events well before its 60 s are up
    ApiClient.Answer answer = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    JsonNode events = answer.json().path("events");
    assertThat(events).isNotEmpty();
    assertThat(events.get(0).path("seq").asLong()).isEqualTo(caughtUp + 1);
    assertThat(events.get(0).path("type").asText()).isEqualTo("llm.completed");
    assertThat(answer.json().path("lastSeq").asLong()).isGreaterThan(caughtUp);
  }

  @Test
  void shouldReturnAnEmptyListWhenNothingHappensWithinTheWait() throws Exception {
    // given
    runner = api.start(Turn.say("done"));
    api.model().hold(1);
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    assertThat(api.model().awaitRequest(1, 30)).isTrue();

    // when
    ApiClient.Answer answer = runner.get("/v1/runs/run-1/events?after=2&wait=1");

    // then
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("events")).isEmpty();
    assertThat(answer.json().path("lastSeq").asLong()).isEqualTo(2);
    assertThat(answer.json().path("phase").asText()).isEqualTo("Running");
    api.model().release(1);
  }

  @Test
  void shouldServeGapFreeEventsInPagesWithTheContractsFields() throws Exception {
    // given
    runner =
        api.start(
            Turn.call("write_file", "{\"path\":\"a.txt\",\"content\":\"a\"}"),
            Turn.call("read_file", "{\"path\":\"a.txt\"}"),
            Turn.say("done"));
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    runner.awaitPhase("run-1", "Succeeded");

    // when: paging three events at a time
    List<JsonNode> all = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = runner.get("/v1/runs/run-1/events?after=" + after + "&limit=3").json();
      if (page.path("events").isEmpty()) {
        break;
      }
      assertThat(page.path("events").size()).isLessThanOrEqualTo(3);
      page.path("events").forEach(all::add);
      after = all.getLast().path("seq").asLong();
    }

    // then
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).path("seq").asLong()).isEqualTo(i + 1L);
      assertThat(all.get(i).path("time").asText()).isNotEmpty();
      assertThat(all.get(i).path("data").isObject()).isTrue();
    }
    JsonNode started = find(all, "run.started");
    assertThat(started.path("data").path("attempt").asInt()).isEqualTo(1);
    assertThat(started.path("data").path("resumed").asBoolean()).isFalse();
    JsonNode result = find(all, "tool.result");
    assertThat(result.path("data").path("summary").asText()).isNotEmpty();
    assertThat(result.path("data").path("tool").asText()).isEqualTo("write_file");
    JsonNode snapshot = find(all, "snapshot.created");
    assertThat(snapshot.path("data").path("commit").asText()).matches("[0-9a-f]{40}");
    assertThat(snapshot.path("data").path("count").asInt()).isEqualTo(1);
    assertThat(snapshot.path("data").path("skipped").isArray()).isTrue();
    assertThat(all.getLast().path("type").asText()).isEqualTo("run.succeeded");
  }

  @Test
  void shouldReturnAtOnceForAFinishedRunEvenWhenAskedToWait() throws Exception {
    // given
    runner = api.start(Turn.say("done"));
    runner.put("/v1/runs/run-1", ApiClient.allowingEveryTool("{\"prompt\":\"task\"}"));
    long last = runner.awaitPhase("run-1", "Succeeded").path("lastSeq").asLong();

    // when
    CompletableFuture<ApiClient.Answer> poll =
        CompletableFuture.supplyAsync(
            () -> runner.get("/v1/runs/run-1/events?after=" + last + "&wait=60"));

    // then: no event can come, so the poll does not hold the caller for a minute
    ApiClient.Answer answer = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.json().path("events")).isEmpty();
    assertThat(answer.json().path("phase").asText()).isEqualTo("Succeeded");
  }

  static JsonNode find(List<JsonNode> events, String type) {
    return events.stream()
        .filter(e -> type.equals(e.path("type").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " event in " + events));
  }
}
