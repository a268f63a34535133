package dev.agentoperator.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.testing.model.Turn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event {@code data} fields the operator relies on, as {@code spec/runner-api.yaml} lists them,
 * are in the events the runner serves, whatever the loop writes underneath.
 */
class EventContractTest {

  /** Per type, the fields the contract promises (runner-api.yaml, {@code Event}). */
  private static final Map<String, List<String>> CONTRACT = new LinkedHashMap<>();

  static {
    CONTRACT.put("run.started", List.of("resumed", "attempt"));
    CONTRACT.put("step.started", List.of("step"));
    CONTRACT.put(
        "llm.completed",
        List.of("step", "inputTokens", "outputTokens", "toolCalls", "finishReason"));
    CONTRACT.put("tool.called", List.of("step", "callId", "tool", "argument"));
    CONTRACT.put(
        "tool.result", List.of("step", "callId", "tool", "error", "durationMs", "summary"));
    CONTRACT.put(
        "tool.blocked", List.of("step", "callId", "tool", "argument", "pattern", "explanation"));
    CONTRACT.put("approval.required", List.of("id", "step", "tool", "summary"));
    CONTRACT.put("approval.resolved", List.of("id", "decision", "reason"));
    CONTRACT.put("snapshot.created", List.of("step", "commit", "count", "skipped"));
    CONTRACT.put("context.compacted", List.of("step", "method", "tokensBefore", "tokensAfter"));
    CONTRACT.put("run.succeeded", List.of("steps", "result", "truncated"));
    CONTRACT.put("run.failed", List.of("reason", "message"));
    CONTRACT.put("run.cancelled", List.of("message"));
  }

  @RegisterExtension final RunnerApiExtension api = new RunnerApiExtension();

  private RunnerHarness runner;

  @Test
  void shouldServeEveryContractFieldOfEveryEventType() throws Exception {
    // given: runs that go through allowed, denied and approved calls, success, failure, cancel
    // and a compaction
    runner =
        api.startWithScripts(
            Map.of(
                "full",
                List.of(
                    Turn.call("write_file", "{\"path\":\"a.txt\",\"content\":\"a\"}"),
                    Turn.call("read_file", "{\"path\":\"a.txt\"}"),
                    Turn.call("shell", "{\"command\":\"cat a.txt\"}"),
                    Turn.say("all done")),
                "limited",
                List.of(Turn.call("list_dir", "{\"path\":\".\"}"), Turn.say("never reached")),
                "cancelled",
                List.of(Turn.say("never delivered")),
                "compacted",
                List.of(Turn.call("shell", "{\"command\":\"seq 1 1500\"}"), Turn.say("counted"))));
    String policy =
        ",\"tools\":{\"allow\":[\"write_file\",\"list_dir\"],"
            + "\"ask\":[\"shell\"],\"deny\":[\"read_file\"]}";

    // when
    runner.put("/v1/runs/full", "{\"prompt\":\"full\"" + policy + "}");
    String id =
        runner
            .awaitPhase("full", "AwaitingApproval")
            .path("pendingApprovals")
            .get(0)
            .path("id")
            .asText();
    runner.post(
        "/v1/runs/full/approvals",
        "{\"id\":\"" + id + "\",\"decision\":\"approve\",\"reason\":\"looks safe\"}");
    runner.awaitPhase("full", "Succeeded");
    runner.put(
        "/v1/runs/limited", "{\"prompt\":\"limited\",\"limits\":{\"maxSteps\":1}" + policy + "}");
    runner.awaitPhase("limited", "Failed");
    runner.put(
        "/v1/runs/compacted",
        ApiClient.allowingEveryTool(
            "{\"prompt\":\"compacted\",\"model\":{\"contextWindow\":4096}}"));
    runner.awaitPhase("compacted", "Succeeded");
    api.model().hold(1);
    runner.put("/v1/runs/cancelled", ApiClient.allowingEveryTool("{\"prompt\":\"cancelled\"}"));
    assertThat(api.model().awaitRequest(1, 30)).isTrue();
    runner.post("/v1/runs/cancelled/cancel", "");
    runner.awaitPhase("cancelled", "Cancelled");
    api.model().release(1);

    // then
    List<JsonNode> events = new ArrayList<>();
    for (String uid : List.of("full", "limited", "cancelled", "compacted")) {
      runner.events(uid).path("events").forEach(events::add);
    }
    for (Map.Entry<String, List<String>> type : CONTRACT.entrySet()) {
      List<JsonNode> ofType =
          events.stream().filter(e -> e.path("type").asText().equals(type.getKey())).toList();
      assertThat(ofType).as("events of type %s", type.getKey()).isNotEmpty();
      for (JsonNode event : ofType) {
        for (String field : type.getValue()) {
          assertThat(event.path("data").has(field))
              .as("%s.data.%s in %s", type.getKey(), field, event)
              .isTrue();
        }
      }
    }
  }
}
