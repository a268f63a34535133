package dev.agentoperator.runner.workspace;

/**
 * The commit message of a step's snapshot: a subject naming the run and step, the caller's text,
 * and {@code Run}/{@code Step} trailers so tools can find a run's snapshots with {@code git log
 * --grep}.
 */
public final class SnapshotMessage {

  private SnapshotMessage() {}

  public static String of(String runUid, int step, String text) {
    String body = text == null ? "" : text.strip();
    StringBuilder message = new StringBuilder();
    message.append("run ").append(runUid).append(" step ").append(step).append("\n\n");
    if (!body.isEmpty()) {
      message.append(body).append("\n\n");
    }
    message.append("Run: ").append(runUid).append('\n');
    message.append("Step: ").append(step).append('\n');
    return message.toString();
  }
}
