package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.FaultChecks.assertNoDuplicateEntries;
import static dev.agentoperator.operator.dev.FaultChecks.assertOneTerminalEvent;
import static dev.agentoperator.operator.dev.FaultChecks.assertStaysIn;
import static dev.agentoperator.operator.dev.FaultChecks.count;
import static dev.agentoperator.operator.dev.FaultChecks.texts;
import static dev.agentoperator.operator.dev.FaultChecks.transcript;
import static dev.agentoperator.operator.dev.LocalClusterExtension.NS;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session's workspace volume running full: its claim directory is a 16 MiB tmpfs mounted
 * before the session exists (needs root; skipped otherwise). The claim holds the workspace and
 * the runner's state (transcript, checkpoint, events), as on a cluster.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root",
    disabledReason = "mounting a small tmpfs for the claim needs root")
class VolumeFullFaultE2eTest {

  private static final List<Path> MOUNTS = new ArrayList<>();

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("volume-full-fault").applying(MODEL_KEY_SECRET);

  /** The cluster first, so nothing writes to a claim any more when its tmpfs goes. */
  @AfterAll
  static void unmount() throws Exception {
    cluster.close();
    for (Path mount : MOUNTS) {
      sh("umount", "-l", mount.toString());
    }
  }

  /** Mounts a tmpfs of {@code size} where the session's claim will live. */
  private static void smallVolumeFor(String session, String size) throws Exception {
    Path claim = cluster.cluster().storage().claimDir(NS, session + "-workspace");
    Files.createDirectories(claim);
    sh("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=1777", "tmpfs", claim.toString());
    MOUNTS.add(claim);
  }

  private static void sh(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
  }

  @Test
  void shouldGiveTheModelTheFullDiskErrorAndGoOnOnceTheCallFreedTheSpace() throws Exception {
    // given a session whose workspace volume has 16 MiB
    smallVolumeFor("fills", "16m");
    model.script("[fills]",
        call("shell", args("command",
            "head -c 64M /dev/zero > fill.bin; echo \"head exit $?\"; rm -f fill.bin")),
        call("shell", args("command", "echo after >> calls.log; echo written")),
        say("The disk was full once; the next call wrote its file."));

    // when a tool call fills it up (and removes its file)
    cluster.apply(session("fills", model, null) + run("fills-run", "fills", "[fills] go"));

    // then the call's result tells the model the device is full, and the run goes on
    AgentRun run = cluster.awaitPhase("fills-run", AgentRunPhase.Succeeded);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    List<JsonNode> transcript = transcript(cluster, "fills", run);
    assertNoDuplicateEntries(transcript);
    List<String> results = texts(transcript, "tool");
    assertThat(results).hasSize(2);
    assertThat(results.get(0)).contains("No space left on device").contains("head exit 1");
    assertThat(results.get(1)).contains("written");
    List<JsonNode> events = cluster.runnerEvents("fills", run);
    assertThat(count(events, "run.started")).isEqualTo(1);
    assertThat(count(events, "tool.called")).isEqualTo(2);
    assertOneTerminalEvent(events, "run.succeeded");
    assertStaysIn(cluster, "fills-run", AgentRunPhase.Succeeded);
  }

  @Test
  void shouldEndTheRunOnceWhenTheVolumeStaysFullUnderTheRunnersState() throws Exception {
    // given a session whose workspace volume has 16 MiB
    smallVolumeFor("full", "16m");
    model.script("[full]",
        call("shell", args("command", "head -c 64M /dev/zero > fill.bin; echo \"head exit $?\"")),
        say("Left the disk full."));

    // when a tool call fills it up and leaves it full, so the runner cannot write its state
    cluster.apply(session("full", model, null) + run("full-run", "full", "[full] go"));

    // then the runner cannot write its checkpoint: the run fails once, saying why
    AgentRun run = cluster.awaitPhase("full-run", AgentRunPhase.Failed);
    assertThat(run.getStatus().getAttempts()).isEqualTo(1);
    assertThat(run.getStatus().getMessage()).contains("cannot write the checkpoint")
        .contains("No space left on device");
    assertNoDuplicateEntries(transcript(cluster, "full", run));
    assertStaysIn(cluster, "full-run", AgentRunPhase.Failed);
  }
}
