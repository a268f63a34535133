package dev.agentoperator.runner.loop;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Where a run waits for a person's answer to an {@code ask} tool call. The loop registers a pending
 * approval and blocks; the HTTP service calls {@link #resolve}. An answer may also arrive before
 * the question (an operator replaying {@code spec.approvals} after a restart): it is kept and used
 * when the loop asks.
 */
public final class ApprovalGate {

  /** An approval the run waits for. */
  public record PendingApproval(String id, String tool, String summary, Instant requestedAt) {}

  /** A person's answer; {@code by} names them (null when the answer named no one). */
  public record Decision(boolean approved, String reason, String by) {

    /** Parses {@code approve} or {@code deny}. */
    public static Decision of(String decision, String reason, String by) {
      return switch (decision == null ? "" : decision.toLowerCase(Locale.ROOT)) {
        case "approve", "approved" -> new Decision(true, reason, by);
        case "deny", "denied" -> new Decision(false, reason, by);
        default ->
            throw new IllegalArgumentException(
                "approval decision must be 'approve' or 'deny', got '" + decision + "'");
      };
    }
  }

  private final WaitingRoom<PendingApproval, Decision> room = new WaitingRoom<>();

  /**
   * Answers approval {@code id}.
   *
   * @return true when a run was waiting for it, false when it was kept for later
   */
  public boolean resolve(String id, Decision decision) {
    return room.resolve(id, decision);
  }

  /** Convenience for the HTTP service: {@code decision} is {@code approve} or {@code deny}. */
  public boolean resolve(String id, String decision, String reason, String by) {
    return resolve(id, Decision.of(decision, reason, by));
  }

  /** As above, for an answer that names no one. */
  public boolean resolve(String id, String decision, String reason) {
    return resolve(id, decision, reason, null);
  }

  public List<PendingApproval> pending() {
    return room.pending();
  }

  /** Registers the question, so it is listed as pending before anyone hears of it. */
  void open(PendingApproval approval) {
    room.open(approval.id(), approval);
  }

  /** Blocks until approval {@code id} is answered or the thread is interrupted. */
  Decision await(String id) throws InterruptedException {
    return room.await(id);
  }
}
