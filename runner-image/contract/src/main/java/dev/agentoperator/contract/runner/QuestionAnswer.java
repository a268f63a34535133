package dev.agentoperator.contract.runner;

/**
 * The body of {@code POST /v1/runs/{uid}/answers} ({@code QuestionAnswer} in the runner API): a
 * person's answer to a pending question, which the agent receives as the question tool's result;
 * {@code by} who answered ({@code spec.answers[].by}, may be null), recorded in the run's events.
 */
public record QuestionAnswer(String id, String answer, String by) {}
