package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.Usage;

/**
 * A run's summary: phase, a CamelCase {@code reason} (e.g. {@code Completed}, {@code
 * MaxStepsExceeded}, {@code ModelError}), counters, token use, the final answer (null unless
 * Succeeded) and a sentence for people.
 */
public record RunResult(
    String runUid,
    RunPhase phase,
    String reason,
    int steps,
    int toolCalls,
    Usage usage,
    String result,
    String message) {}
