package dev.agentoperator.contract.policy;

/**
 * A verdict with the pattern that decided it ({@code null} when no pattern matched and the tool was
 * denied as unlisted) and a sentence for the model or the approver explaining it.
 */
public record PolicyDecision(Verdict verdict, String matchedPattern, String explanation) {}
