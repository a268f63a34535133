package dev.agentoperator.contract.runner;

import java.util.List;

/**
 * One answer of the long-polled event stream ({@code EventList} in the runner API): events oldest
 * first, the seq of the run's newest event and its phase (a {@link RunPhase} name).
 */
public record EventList(List<RunEvent> events, long lastSeq, String phase) {

  /** The events, never null. */
  public List<RunEvent> eventsOrEmpty() {
    return events == null ? List.of() : events;
  }
}
