package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.FaultChecks.assertEndedOnce;
import static dev.agentoperator.operator.dev.FaultChecks.count;
import static dev.agentoperator.operator.dev.FaultChecks.lines;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's API server misbehaving, through {@link FaultyApiProxy} in front of the embedded
 * API (the operator's client only; the kubelet stand-in talks to the API directly): bursts of 500
 * and of 409 on a run's writes, and every watch broken off at each stage of a run. Each run
 * ends in exactly one terminal phase, dispatched once, its tool calls run once.
 */
class ApiServerFaultE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();
  @AutoClose static final FaultyApiProxy proxy = FaultyApiProxy.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("api-server-fault").withOperator(behind(proxy))
          .applying(MODEL_KEY_SECRET);

  private static int watchesAtStart;

  @BeforeAll
  static void operatorWatches() {
    await().atMost(Duration.ofSeconds(60)).until(() -> proxy.openWatches() > 0);
    watchesAtStart = proxy.openWatches();
  }

  /** The production operator with a client that talks to the API through {@code proxy}. */
  private static OperatorLauncher behind(FaultyApiProxy proxy) {
    return (client, config, clock) -> {
      proxy.forwardTo(client.getConfiguration().getMasterUrl());
      KubernetesClient proxied = new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(client.getConfiguration()).withMasterUrl(proxy.url())
              .build())
          .withHttpClientFactory(new JdkHttpClientFactory()).build();
      AutoCloseable operator = InProcessOperator.production().start(proxied, config, clock);
      return () -> {
        try {
          operator.close();
        } finally {
          proxied.close();
        }
      };
    };
  }

  @Test
  void shouldEndTheRunOnceWhenItsWritesMeetABurstOf500sAsItFinishes() throws Exception {
    // given a run inside a tool call
    model.script("[api-500]",
        call("shell", args("command",
            "touch started; while [ ! -f go ]; do sleep 0.2; done; echo ran >> calls.log")),
        say("Done despite the 500s."));
    cluster.apply(session("api500", model, null) + run("api500-run", "api500", "[api-500] go"));
    Path workspace = cluster.workspace("api500");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(workspace.resolve("started")));
    cluster.awaitPhase("api500-run", AgentRunPhase.Running);

    // when the next 8 writes to the run answer 500 and the run finishes in its runner
    proxy.fail(8, 500, r -> r.writes("/agentruns/api500-run"));
    int before = proxy.injected();
    Files.writeString(workspace.resolve("go"), "");

    // then the operator keeps trying and records the end once
    AgentRun run = cluster.awaitPhase("api500-run", AgentRunPhase.Succeeded);
    assertThat(proxy.injected() - before).as("every injected 500 was met").isEqualTo(8);
    assertThat(run.getStatus().getResult().text()).isEqualTo("Done despite the 500s.");
    assertThat(lines(workspace.resolve("calls.log"))).containsExactly("ran");
    assertEndedOnce(cluster, "api500", run, 1);
  }

  @Test
  void shouldDispatchARunOnceWhenItsFirstWritesMeetA409Storm() throws Exception {
    // given the next 10 writes to a new run answer 409 Conflict (from its first one on)
    model.script("[api-409]", call("shell", args("command", "echo ran >> calls.log")),
        say("Done despite the conflicts."));
    proxy.fail(10, 409, r -> r.writes("/agentruns/api409-run"));
    int before = proxy.injected();

    // when the run is created
    cluster.apply(session("api409", model, null) + run("api409-run", "api409", "[api-409] go"));

    // then it is dispatched once and ends once
    AgentRun run = cluster.awaitPhase("api409-run", AgentRunPhase.Succeeded);
    assertThat(proxy.injected() - before).as("every injected 409 was met").isEqualTo(10);
    assertThat(lines(cluster.workspace("api409").resolve("calls.log"))).containsExactly("ran");
    assertEndedOnce(cluster, "api409", run, 1);
  }

  @Test
  void shouldFinishARunWhoseOperatorLosesEveryWatchAtEachStage() throws Exception {
    // given a run of two tool calls, each waiting for a file
    model.script("[api-watch]",
        call("shell", args("command",
            "touch one-started; while [ ! -f go-one ]; do sleep 0.2; done; echo one >> calls.log")),
        call("shell", args("command",
            "touch two-started; while [ ! -f go-two ]; do sleep 0.2; done; echo two >> calls.log")),
        say("Done despite the broken watches."));
    int droppedBefore = proxy.dropped();
    cluster.apply(session("apiwatch", model, null)
        + run("apiwatch-run", "apiwatch", "[api-watch] go"));
    Path workspace = cluster.workspace("apiwatch");

    // when every watch of the operator is broken off while the run waits for its pod, in its
    // first call and in its second call (each time after the operator has watched again)
    dropWatchesOnceReestablished();
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(workspace.resolve("one-started")));
    dropWatchesOnceReestablished();
    Files.writeString(workspace.resolve("go-one"), "");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(workspace.resolve("two-started")));
    dropWatchesOnceReestablished();
    Files.writeString(workspace.resolve("go-two"), "");

    // then the run ended once, as it should
    AgentRun run = cluster.awaitPhase("apiwatch-run", AgentRunPhase.Succeeded);
    assertThat(proxy.dropped() - droppedBefore).as("watches were broken off")
        .isGreaterThanOrEqualTo(3);
    assertThat(lines(workspace.resolve("calls.log"))).containsExactly("one", "two");
    List<JsonNode> events = assertEndedOnce(cluster, "apiwatch", run, 1);
    assertThat(count(events, "tool.called")).isEqualTo(2);
  }

  @Test
  void shouldFinishARunOnceAStormOfBrokenWatchesIsOver() throws Exception {
    // given a run whose first call waits for a file
    model.script("[api-storm]",
        call("shell", args("command",
            "touch started; while [ ! -f go ]; do sleep 0.2; done; echo once >> calls.log")),
        say("Done after the storm."));
    cluster.apply(session("apistorm", model, null)
        + run("apistorm-run", "apistorm", "[api-storm] go"));
    Path workspace = cluster.workspace("apistorm");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(workspace.resolve("started")));

    // when every watch is broken off every 500 ms for 15 s while the call runs and then ends
    int droppedBefore = proxy.dropped();
    long stormEnds = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < stormEnds) {
      proxy.dropWatches();
      if (System.nanoTime() > stormEnds - Duration.ofSeconds(10).toNanos()) {
        Files.writeString(workspace.resolve("go"), "");
      }
      Thread.sleep(500);
    }

    // then, once the storm is over, the operator watches again and the run ends once
    AgentRun run = cluster.awaitPhase("apistorm-run", AgentRunPhase.Succeeded);
    assertThat(proxy.dropped() - droppedBefore).as("watches were broken off").isGreaterThan(10);
    assertThat(lines(workspace.resolve("calls.log"))).containsExactly("once");
    assertEndedOnce(cluster, "apistorm", run, 1);
  }

  /** Waits until the operator watches all it watched at start, then breaks those watches off. */
  private static void dropWatchesOnceReestablished() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> proxy.openWatches() >= watchesAtStart);
    proxy.dropWatches();
  }
}
