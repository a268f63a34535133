package dev.agentoperator.runner.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.runner.events.EventLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A resumed replay run skips exactly the model answers its compactions used. */
class ContextCompactionTurnsTest {

  @Test
  void shouldCountTheSummaryAnswersOfEachCompactionAsPlayedTurns() {
    // given a step, a compaction that masked after two rejected summaries, one that failed over
    // HTTP, and a compaction event written before modelCalls existed (one summary answer)
    List<RunEvent> events =
        List.of(
            event(1, EventType.LLM_COMPLETED, 0),
            event(2, EventType.CONTEXT_COMPACTED, 2),
            event(3, EventType.CONTEXT_COMPACTED, 0),
            new RunEvent(4, EventType.CONTEXT_COMPACTED, Instant.EPOCH, "r", EventLog.data()),
            event(5, EventType.LLM_COMPLETED, 0));

    // when / then
    assertThat(RunStarter.turnsPlayed(events)).isEqualTo(5);
  }

  private static RunEvent event(long seq, String type, int modelCalls) {
    return new RunEvent(
        seq, type, Instant.EPOCH, "r", EventLog.data().put("modelCalls", modelCalls));
  }
}
