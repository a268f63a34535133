package dev.agentoperator.runner.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

  @TempDir Path dir;

  @Test
  void shouldNumberEventsWithoutGapsFromOne() {
    // given
    EventLog log = new EventLog(dir, "run-1");

    // when
    log.append(EventType.RUN_STARTED, EventLog.data());
    log.append(EventType.STEP_STARTED, EventLog.data().put("step", 1));
    log.append(EventType.RUN_SUCCEEDED, EventLog.data());

    // then
    assertThat(log.all()).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(log.after(1, 1)).extracting(RunEvent::type).containsExactly(EventType.STEP_STARTED);
    assertThat(log.after(3, 10)).isEmpty();
    assertThat(log.after(99, 10)).isEmpty();
  }

  @Test
  void shouldContinueTheSequenceAfterARestart() {
    // given
    EventLog first = new EventLog(dir, "run-1");
    first.append(EventType.RUN_STARTED, EventLog.data());
    first.append(EventType.STEP_STARTED, EventLog.data().put("step", 1));

    // when a new process opens the same directory
    EventLog second = new EventLog(dir, "run-1");
    second.append(EventType.RUN_STARTED, EventLog.data().put("resumed", true));

    // then
    assertThat(second.all()).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(second.all().get(1).data().path("step").asInt()).isEqualTo(1);
  }

  @Test
  void shouldDropATornLastLineAndKeepTheSequenceGapFree() throws Exception {
    // given a crash in the middle of writing event 3
    EventLog first = new EventLog(dir, "run-1");
    first.append(EventType.RUN_STARTED, EventLog.data());
    first.append(EventType.STEP_STARTED, EventLog.data());
    Files.writeString(
        dir.resolve(EventLog.FILE_NAME),
        "{\"seq\":3,\"type\":\"llm.com",
        StandardOpenOption.APPEND);

    // when
    EventLog second = new EventLog(dir, "run-1");
    second.append(EventType.LLM_COMPLETED, EventLog.data());

    // then
    assertThat(new EventLog(dir, "run-1").all())
        .extracting(RunEvent::seq, RunEvent::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, EventType.RUN_STARTED),
            org.assertj.core.groups.Tuple.tuple(2L, EventType.STEP_STARTED),
            org.assertj.core.groups.Tuple.tuple(3L, EventType.LLM_COMPLETED));
  }

  @Test
  void shouldWakeALongPollAsSoonAsANewEventArrives() {
    // given a poller waiting for events after seq 1
    EventLog log = new EventLog(dir, "run-1");
    log.append(EventType.RUN_STARTED, EventLog.data());
    CompletableFuture<Long> poll =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return log.awaitAfter(1, Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    // when
    await().during(Duration.ofMillis(100)).until(() -> !poll.isDone());
    log.append(EventType.STEP_STARTED, EventLog.data());

    // then
    await().atMost(Duration.ofSeconds(5)).until(poll::isDone);
    assertThat(poll.join()).isEqualTo(2L);
  }

  @Test
  void shouldReturnTheCurrentSeqWhenTheLongPollTimesOut() throws Exception {
    EventLog log = new EventLog(dir, "run-1");
    log.append(EventType.RUN_STARTED, EventLog.data());

    assertThat(log.awaitAfter(1, Duration.ofMillis(20))).isEqualTo(1L);
    assertThat(log.awaitAfter(0, Duration.ofSeconds(30))).isEqualTo(1L);
  }

  @Test
  void shouldTellListenersAboutEachEvent() {
    // given
    EventLog log = new EventLog(dir, "run-1");
    java.util.List<RunEvent> seen = new java.util.ArrayList<>();
    log.addListener(seen::add);

    // when
    log.append(EventType.RUN_STARTED, EventLog.data());

    // then
    assertThat(seen).extracting(RunEvent::type).containsExactly(EventType.RUN_STARTED);
  }
}
