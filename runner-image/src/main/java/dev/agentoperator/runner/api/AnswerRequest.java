package dev.agentoperator.runner.api;

/** The body of {@code POST /v1/runs/{uid}/answers}: a person's answer to a pending question. */
public record AnswerRequest(String id, String answer) {

  static final int MAX_ANSWER_CHARS = 4096;

  /** Checks the fields, or throws a 400 naming the field. */
  public AnswerRequest validated() {
    if (id == null || id.isBlank()) {
      throw ApiException.badRequest("field 'id' is required: the id of the pending question");
    }
    if (answer == null || answer.isBlank()) {
      throw ApiException.badRequest("field 'answer' is required: the text the agent receives");
    }
    if (answer.length() > MAX_ANSWER_CHARS) {
      throw ApiException.badRequest(
          "field 'answer' has "
              + answer.length()
              + " characters; at most "
              + MAX_ANSWER_CHARS
              + " are allowed");
    }
    return this;
  }
}
