package dev.agentoperator.contract.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The runs a runner knows ({@code RunList} in the runner API, {@code GET /v1/runs}); {@code active}
 * is written even when null, so "no active run" is explicit.
 */
public record RunList(@JsonInclude(JsonInclude.Include.ALWAYS) String active, List<Entry> runs) {

  /** One run and its phase. */
  public record Entry(String uid, String phase) {}
}
