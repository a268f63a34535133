package dev.agentoperator.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every fault-injection test asserts once its run has ended: one terminal phase that stays,
 * one terminal event, and a transcript in which no entry was written twice.
 */
final class FaultChecks {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL_EVENTS =
      Set.of("run.succeeded", "run.failed", "run.cancelled");

  private FaultChecks() {}

  static long count(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("type").asText().equals(type)).count();
  }

  /** Exactly one terminal event among the runner's events, and it is {@code type}. */
  static void assertOneTerminalEvent(List<JsonNode> events, String type) {
    assertThat(events.stream().map(e -> e.path("type").asText())
        .filter(TERMINAL_EVENTS::contains)).containsExactly(type);
  }

  /**
   * The run keeps its terminal phase for 3 s after it was seen there (the operator polls a running
   * run's runner every few seconds and requeues): a bounded check that no later reconcile moves
   * it to another phase.
   */
  static void assertStaysIn(LocalClusterExtension cluster, String run, AgentRunPhase phase) {
    long observedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          AgentRun now = cluster.run(run);
          assertThat(now.getStatus().getPhase()).as("phase of " + run).isEqualTo(phase);
          assertThat(System.nanoTime() - observedAt)
              .as("watched for 3 s").isGreaterThan(Duration.ofSeconds(3).toNanos());
        });
  }

  /**
   * The whole check of a run that has ended in {@code phase}: dispatched {@code dispatches} times
   * ({@code attempts} and {@code run.started} agree), one terminal event matching the phase, no
   * transcript entry twice, and the phase stays. Returns the runner's events for more checks.
   */
  static List<JsonNode> assertEndedOnce(
      LocalClusterExtension cluster, String session, AgentRun run, int dispatches)
      throws Exception {
    AgentRunPhase phase = run.getStatus().getPhase();
    assertThat(run.getStatus().getAttempts()).as("attempts").isEqualTo(dispatches);
    List<JsonNode> events = cluster.runnerEvents(session, run);
    assertThat(count(events, "run.started")).as("run.started events").isEqualTo(dispatches);
    assertOneTerminalEvent(events, switch (phase) {
      case Succeeded -> "run.succeeded";
      case Cancelled -> "run.cancelled";
      default -> "run.failed";
    });
    assertNoDuplicateEntries(transcript(cluster, session, run));
    assertStaysIn(cluster, run.getMetadata().getName(), phase);
    return events;
  }

  /** Every transcript entry of one run (one chat message a line), in order. */
  static List<JsonNode> transcript(LocalClusterExtension cluster, String session, AgentRun run) {
    Path file = cluster.state(session).resolve("runs").resolve(run.getMetadata().getUid())
        .resolve("transcript.jsonl");
    List<JsonNode> entries = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          entries.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(entries).as("transcript of " + run.getMetadata().getName()).isNotEmpty();
    return entries;
  }

  /**
   * No entry twice: no two identical lines, each tool call id answered by one tool message, and
   * each assistant message's tool call ids new.
   */
  static void assertNoDuplicateEntries(List<JsonNode> transcript) {
    assertThat(transcript.stream().map(JsonNode::toString)).doesNotHaveDuplicates();
    Set<String> answered = new HashSet<>();
    Set<String> asked = new HashSet<>();
    for (JsonNode entry : transcript) {
      if (entry.path("role").asText().equals("tool")) {
        assertThat(answered.add(entry.path("tool_call_id").asText()))
            .as("one result for tool call " + entry.path("tool_call_id")).isTrue();
      }
      for (JsonNode call : entry.path("tool_calls")) {
        assertThat(asked.add(call.path("id").asText()))
            .as("tool call " + call.path("id") + " asked once").isTrue();
      }
    }
  }

  /** The texts of the transcript's entries with {@code role}. */
  static List<String> texts(List<JsonNode> transcript, String role) {
    return transcript.stream().filter(e -> e.path("role").asText().equals(role))
        .map(e -> e.path("content").asText()).toList();
  }

  /** The lines a tool call appended to a workspace file, e.g. a {@code calls.log}. */
  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
