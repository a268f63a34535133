package dev.agentoperator.runner.service;

import dev.agentoperator.runner.llm.Cassette;
import dev.agentoperator.runner.llm.ChatModel;
import dev.agentoperator.runner.llm.ReplayChatModel;

/**
 * The model client of each new loop. An OpenAI-compatible client is shared by every run; a replay
 * is fresh per run and starts after the turns the run already played, so a resumed run (a new
 * process) gets the turn it would have got without the restart.
 */
@FunctionalInterface
public interface ModelPerRun {

  /**
   * @param turnsPlayed model answers the run has recorded so far ({@code llm.completed} events and
   *     the {@code modelCalls} of {@code context.compacted} events), 0 for a new run
   */
  ChatModel forRun(int turnsPlayed);

  /** The same client for every run. */
  static ModelPerRun shared(ChatModel model) {
    return turnsPlayed -> model;
  }

  /** A replay of {@code cassette} per run, from the first turn the run has not played yet. */
  static ModelPerRun replay(Cassette cassette) {
    return turnsPlayed -> {
      int from = Math.min(turnsPlayed, cassette.turns().size());
      return new ReplayChatModel(
          new Cassette(cassette.name(), cassette.turns().subList(from, cassette.turns().size())));
    };
  }
}
