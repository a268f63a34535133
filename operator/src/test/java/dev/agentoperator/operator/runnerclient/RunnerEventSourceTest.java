package dev.agentoperator.operator.runnerclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.operator.testing.FakeRunner;
import dev.agentoperator.operator.testing.RunScript;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunnerEventSourceTest {

  private static final String TOKEN = "token";
  private static final ResourceID RUN = new ResourceID("run-a", "ns");
  private final List<Event> triggered = new CopyOnWriteArrayList<>();
  private FakeRunner fake;
  private RunnerClient client;
  private RunnerEventSource source;
  private RunnerEndpoint endpoint;

  @BeforeEach
  void start() throws IOException {
    int port = RunnerClientTest.freePort();
    fake = new FakeRunner("127.0.0.1", port, prompt -> RunScript.steps(5));
    client = new RunnerClient(port);
    endpoint = new RunnerEndpoint("127.0.0.1", TOKEN);
    source =
        new RunnerEventSource(
            client,
            new RunnerEventSource.Settings(2, Duration.ofMillis(50), Duration.ofMillis(400)));
    source.setEventHandler(triggered::add);
    source.start();
  }

  @AfterEach
  void stop() {
    source.stop();
    fake.close();
  }

  @Test
  void shouldTriggerOnEventsBufferThemInOrderAndStopWhenTheRunEnds() throws IOException {
    fake.start(TOKEN);
    client.start(endpoint, "uid-1", RunnerClientTest.request("go"));

    source.watch(RUN, "uid-1", endpoint, 0);

    await().atMost(Duration.ofSeconds(10)).until(() -> !source.isWatching(RUN));
    List<RunEvent> events = source.drain(RUN);
    assertThat(triggered).isNotEmpty().allMatch(e -> e.getRelatedCustomResourceID().equals(RUN));
    assertThat(events).extracting(RunEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(events.getLast().type()).isEqualTo(EventType.RUN_SUCCEEDED);
    assertThat(source.lastSeq(RUN)).isEqualTo(events.getLast().seq());
  }

  @Test
  void shouldReconnectWithBackoffAndResumeAfterTheLastSeq() throws IOException {
    source.watch(RUN, "uid-1", endpoint, 0); // nothing listens yet: the poller backs off

    await().atMost(Duration.ofSeconds(5)).until(() -> !triggered.isEmpty());
    fake.start(TOKEN);
    client.start(endpoint, "uid-1", RunnerClientTest.request("go"));

    await().atMost(Duration.ofSeconds(15)).until(() -> !source.isWatching(RUN));
    List<RunEvent> events = new ArrayList<>(source.drain(RUN));
    assertThat(events).extracting(RunEvent::seq).startsWith(1L).doesNotHaveDuplicates();
    assertThat(events.getLast().type()).isEqualTo(EventType.RUN_SUCCEEDED);
  }

  @Test
  void shouldStopPollingWhenUnwatched() throws IOException {
    fake.start(TOKEN);
    client.start(endpoint, "uid-1", RunnerClientTest.request("go"));
    source.watch(RUN, "uid-1", endpoint, 0);

    source.unwatch(RUN);

    assertThat(source.isWatching(RUN)).isFalse();
    assertThat(source.drain(RUN)).isEmpty();
  }
}
