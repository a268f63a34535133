package dev.agentoperator.runner.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Writes events to stdout for {@code kubectl logs}: a human-readable transcript ({@code text}) or
 * one JSON object per line ({@code json}). Events hold no secrets, so neither does this output.
 */
public final class ConsoleReporter implements EventListener {

  /** The two output formats of {@code --log-format}. */
  public enum Format {
    TEXT,
    JSON;

    public static Format parse(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "json" -> JSON;
        default ->
            throw new IllegalArgumentException(
                "unknown log format '" + value + "' (expected text or json)");
      };
    }
  }

  private final PrintStream out;
  private final Format format;

  public ConsoleReporter(PrintStream out, Format format) {
    this.out = out;
    this.format = format;
  }

  @Override
  public void onEvent(RunEvent event) {
    String line = format == Format.JSON ? EventLog.toJson(event) : text(event);
    if (line != null) {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }
  }

  static String text(RunEvent event) {
    JsonNode d = event.data();
    return switch (event.type()) {
      case EventType.RUN_STARTED ->
          "== run "
              + event.runUid()
              + (d.path("resumed").asBoolean() ? " resumed" : " started")
              + " (model "
              + d.path("model").asText()
              + ")\n   task: "
              + oneLine(d.path("prompt").asText(), 300);
      case EventType.STEP_STARTED -> "-- step " + d.path("step").asInt();
      case EventType.LLM_COMPLETED ->
          "   model answered in "
              + seconds(d.path("durationMs").asLong())
              + ": "
              + d.path("toolCalls").asInt()
              + " tool call(s), tokens in="
              + d.path("inputTokens").asLong()
              + " out="
              + d.path("outputTokens").asLong()
              + (d.path("estimated").asBoolean() ? " (estimated)" : "")
              + ", run total="
              + d.path("runTotalTokens").asLong()
              + (d.path("text").asText("").isBlank()
                  ? ""
                  : "\n   model: " + oneLine(d.path("text").asText(), 300));
      case EventType.TOOL_CALLED ->
          "   > " + d.path("tool").asText() + " " + oneLine(d.path("argument").asText(), 200);
      case EventType.TOOL_RESULT ->
          "   < "
              + d.path("tool").asText()
              + (d.path("error").asBoolean() ? " error" : " ok")
              + " ("
              + seconds(d.path("durationMs").asLong())
              + "): "
              + oneLine(d.path("output").asText(), 160);
      case EventType.TOOL_BLOCKED ->
          "   x "
              + d.path("tool").asText()
              + " blocked by policy: "
              + oneLine(d.path("argument").asText(), 160)
              + " ("
              + d.path("explanation").asText()
              + ")";
      case EventType.APPROVAL_REQUIRED ->
          "   ? approval "
              + d.path("id").asText()
              + " needed: "
              + oneLine(d.path("summary").asText(), 200);
      case EventType.QUESTION_ASKED ->
          "   ? question "
              + d.path("id").asText()
              + ": "
              + oneLine(d.path("question").asText(), 200);
      case EventType.QUESTION_ANSWERED ->
          "   ? question "
              + d.path("id").asText()
              + " answered"
              + byWhom(d)
              + ": "
              + oneLine(d.path("answer").asText(), 200);
      case EventType.APPROVAL_RESOLVED ->
          "   ? approval "
              + d.path("id").asText()
              + " "
              + d.path("decision").asText()
              + byWhom(d)
              + (d.path("reason").asText("").isEmpty() ? "" : ": " + d.path("reason").asText());
      case EventType.SNAPSHOT_CREATED -> "   snapshot " + d.path("commit").asText();
      case EventType.CONTEXT_COMPACTED -> compacted(d);
      case EventType.RUN_SUCCEEDED ->
          "== run succeeded: " + totals(d) + "\n" + d.path("result").asText();
      case EventType.RUN_FAILED ->
          "== run "
              + (d.path("reason").asText().equals("TimedOut") ? "timed out" : "failed")
              + " ("
              + d.path("reason").asText()
              + "): "
              + d.path("message").asText()
              + "\n   "
              + totals(d);
      case EventType.RUN_CANCELLED -> "== run cancelled: " + totals(d);
      default -> null;
    };
  }

  private static String compacted(JsonNode d) {
    String how =
        "masking".equals(d.path("method").asText())
            ? d.path("toolOutputsMasked").asInt()
                + " tool outputs masked, "
                + d.path("messagesRemoved").asInt()
                + " messages removed"
            : d.path("messagesSummarized").asInt() + " messages summarized";
    StringBuilder line =
        new StringBuilder("   context compacted: ")
            .append(d.path("tokensBefore").asInt())
            .append(" -> ")
            .append(d.path("tokensAfter").asInt())
            .append(" tokens (")
            .append(how)
            .append(')');
    for (JsonNode rejected : d.path("summaryRejected")) {
      line.append("; ").append(rejected.asText());
    }
    return line.toString();
  }

  private static String totals(JsonNode d) {
    return d.path("steps").asInt()
        + " step(s), "
        + d.path("toolCalls").asInt()
        + " tool call(s), "
        + d.path("totalTokens").asLong()
        + " tokens";
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  /** " by NAME" when the answer named who gave it. */
  private static String byWhom(JsonNode data) {
    String by = data.path("by").asText("");
    return by.isEmpty() ? "" : " by " + oneLine(by, 100);
  }

  private static String oneLine(String text, int max) {
    String line = text.strip().replaceAll("\\s*\\n\\s*", " | ");
    return line.length() <= max ? line : line.substring(0, max) + "...";
  }
}
