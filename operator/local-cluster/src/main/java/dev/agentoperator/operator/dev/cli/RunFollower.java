package dev.agentoperator.operator.dev.cli;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Follows AgentRuns until each has finished: ended in a terminal phase, or was rejected ({@code
 * Accepted=False}, which no retry changes). Prints the runs' table as it changes, and why a sandbox
 * pod cannot start (a missing Secret, an image with no local equivalent) once per reason.
 */
public final class RunFollower {

  private static final Duration POLL = Duration.ofMillis(300);

  private final KubernetesClient client;
  private final RunTable table;
  private final PrintStream out;
  private final Clock clock;
  private final Set<String> podNotes = new HashSet<>();

  RunFollower(KubernetesClient client, PrintStream out, Clock clock) {
    this.client = client;
    this.out = out;
    this.clock = clock;
    this.table = new RunTable(out, clock);
  }

  /** Waits for the runs (namespace to names); returns them as last seen, in the given order. */
  List<AgentRun> follow(Map<String, List<String>> runs, Duration timeout)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    Map<String, AgentRun> last = new LinkedHashMap<>();
    while (true) {
      boolean allFinished = true;
      for (Map.Entry<String, List<String>> namespace : runs.entrySet()) {
        for (String name : namespace.getValue()) {
          AgentRun run = client.resources(AgentRun.class).inNamespace(namespace.getKey())
              .withName(name).get();
          if (run == null) {
            continue;
          }
          last.put(namespace.getKey() + "/" + name, run);
          table.show(run);
          allFinished &= finished(run);
        }
      }
      notePods(runs.keySet());
      if (allFinished && last.size() == runs.values().stream().mapToInt(List::size).sum()) {
        return new ArrayList<>(last.values());
      }
      if (clock.instant().isAfter(deadline)) {
        out.printf("gave up waiting after %s%n", timeout);
        return new ArrayList<>(last.values());
      }
      Thread.sleep(POLL);
    }
  }

  /** True when the run will not change by itself any more. */
  static boolean finished(AgentRun run) {
    if (run.getStatus() == null) {
      return false;
    }
    if (run.getStatus().getPhase() != null && run.getStatus().getPhase().isTerminal()) {
      return true;
    }
    return rejected(run);
  }

  /** True when the operator did not accept the run. */
  public static boolean rejected(AgentRun run) {
    return run.getStatus() != null && run.getStatus().getConditions() != null
        && run.getStatus().getConditions().stream()
            .anyMatch(c -> "Accepted".equals(c.getType()) && "False".equals(c.getStatus()));
  }

  private void notePods(Set<String> namespaces) {
    for (String namespace : namespaces) {
      for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
        if (pod.getStatus() == null) {
          continue;
        }
        Stream.concat(
                pod.getStatus().getInitContainerStatuses() == null ? Stream.empty()
                    : pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses() == null ? Stream.empty()
                    : pod.getStatus().getContainerStatuses().stream())
            .forEach(status -> note(pod, status));
      }
    }
  }

  private void note(Pod pod, ContainerStatus status) {
    var waiting = status.getState() == null ? null : status.getState().getWaiting();
    if (waiting == null || waiting.getMessage() == null
        || "PodInitializing".equals(waiting.getReason())) {
      return;
    }
    String note = "pod/" + pod.getMetadata().getName() + " " + status.getName() + ": "
        + waiting.getReason() + ": " + waiting.getMessage();
    // A crash loop's message changes with every back-off; once per restart count is enough.
    String key = "CrashLoopBackOff".equals(waiting.getReason())
        ? pod.getMetadata().getUid() + status.getName() + status.getRestartCount() : note;
    if (podNotes.add(key)) {
      out.println(note);
    }
  }
}
