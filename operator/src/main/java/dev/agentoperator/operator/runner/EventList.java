package dev.agentoperator.operator.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One answer of the long-polled event stream: events oldest first, the newest seq and the phase.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventList(List<RunEvent> events, long lastSeq, String phase) {

  /** The events, never null. */
  public List<RunEvent> eventsOrEmpty() {
    return events == null ? List.of() : events;
  }
}
