package dev.agentoperator.runner.api;

import java.util.Locale;

/** The body of {@code POST /v1/runs/{uid}/approvals}: an answer to a pending approval. */
public record ApprovalRequest(String id, String decision, String reason) {

  static final int MAX_REASON_CHARS = 1024;

  /** Checks the fields, or throws a 400 naming the field. */
  public ApprovalRequest validated() {
    if (id == null || id.isBlank()) {
      throw ApiException.badRequest("field 'id' is required: the id of the pending approval");
    }
    if (decision == null) {
      throw ApiException.badRequest("field 'decision' is required: 'approve' or 'deny'");
    }
    String normalized = decision.toLowerCase(Locale.ROOT);
    if (!normalized.equals("approve") && !normalized.equals("deny")) {
      throw ApiException.badRequest(
          "field 'decision' must be 'approve' or 'deny', got '"
              + Abbreviate.line(decision, 40)
              + "'");
    }
    if (reason != null && reason.length() > MAX_REASON_CHARS) {
      throw ApiException.badRequest(
          "field 'reason' has " + reason.length() + " characters; at most 1024 are allowed");
    }
    return new ApprovalRequest(id, normalized, reason);
  }

  public boolean approved() {
    return "approve".equals(decision);
  }
}
