package dev.agentoperator.contract.runner;

import java.util.regex.Pattern;

/**
 * The caps and ranges of the runner API in one place, each in the unit its name says. Texts that
 * end up in Kubernetes status are capped in UTF-8 bytes (status size is bytes); texts a client
 * sends, and texts cut for events, in characters (what JSON Schema's {@code maxLength} counts).
 */
public final class RunnerApiLimits {

  /** The final answer in the summary, the {@code run.succeeded} event and AgentRun status. */
  public static final int RESULT_MAX_BYTES = 4096;

  /** {@code RunRequest.prompt}. */
  public static final int PROMPT_MAX_CHARS = 65_536;

  /** {@code QuestionAnswer.answer}. */
  public static final int ANSWER_MAX_CHARS = 4096;

  /** {@code ApprovalDecision.reason}. */
  public static final int REASON_MAX_CHARS = 1024;

  /** {@code ApprovalDecision.by} and {@code QuestionAnswer.by}: a user name as Kubernetes has it. */
  public static final int BY_MAX_CHARS = 512;

  /** {@code PendingApproval.summary}. */
  public static final int APPROVAL_SUMMARY_MAX_CHARS = 200;

  /** {@code PendingQuestion.question}. */
  public static final int QUESTION_MAX_CHARS = 500;

  /** {@code PendingQuestion.choices}: how many, and how long each. */
  public static final int CHOICES_MAX = 10;

  public static final int CHOICE_MAX_CHARS = 100;

  /** Texts in event data (prompt, arguments, outputs, reasons); the transcript has them whole. */
  public static final int EVENT_TEXT_MAX_CHARS = 500;

  /** {@code tool.result.summary}: the first line of the output. */
  public static final int TOOL_SUMMARY_MAX_CHARS = 200;

  /** {@code GET events}: the longest {@code wait}, the default and the largest {@code limit}. */
  public static final int EVENTS_WAIT_MAX_SECONDS = 60;

  public static final int EVENTS_LIMIT_DEFAULT = 200;
  public static final int EVENTS_LIMIT_MAX = 1000;

  /** {@code GET /v1/runs}: the most runs listed. */
  public static final int RUN_LIST_MAX = 50;

  /** {@code RunSummary.model.contextWindow} at least this many tokens. */
  public static final int CONTEXT_WINDOW_MIN = 512;

  /** A run uid (the path parameter): the AgentRun's {@code metadata.uid}. */
  public static final Pattern RUN_UID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** {@code RunRequest.restoreSnapshot}: a commit id. */
  public static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");

  private RunnerApiLimits() {}
}
