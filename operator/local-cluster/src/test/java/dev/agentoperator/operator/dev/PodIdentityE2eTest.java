package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.dev.kubelet.RuntimeKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox pod's uid/group story, seen from inside both real containers (podman only: on bwrap
 * the runner is a host process and the root is this machine's). The runner is uid 1000, the
 * sandbox uid 1001, both in the pod's fsGroup 1000: each can create files in the workspace and
 * change the other's; the sandbox sees nothing of {@code /data/state} (only the image's empty directory); both roots are read-only; neither
 * has a capability or can gain one; the executor's socket is the sandbox's and the group's only;
 * and the runner's JVM maps the image's AppCDS archive.
 */
class PodIdentityE2eTest {

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster =
      LocalClusterExtension.named("identity").applying(MODEL_KEY_SECRET);

  @BeforeAll
  static void realContainersOnly() {
    assumeTrue(LocalClusterExtension.RUNTIME == RuntimeKind.PODMAN,
        "the uid/group story of real containers: run with -Ppodman");
  }

  // The sandbox's view: who it is, what it may do in the workspace, what it cannot reach.
  private static final String SANDBOX_PROBE = String.join("; ",
      "echo \"id=$(id -u):$(id -g) groups=$(id -G)\"",
      "echo sandbox > by-sandbox.txt && echo created-by-sandbox",
      "echo sandbox >> by-runner.txt && echo changed-runners-file",
      "mkdir -p made-by-sandbox && echo made-dir-by-sandbox",
      "stat -c 'mode %a %u:%g %n' by-sandbox.txt made-by-sandbox /run/agent/executor.sock",
      "ls -A /data/state 2>/dev/null | grep -q . && echo STATE-VISIBLE || echo state-invisible",
      "ls /data",
      "touch /rootfs-probe 2>/dev/null && echo ROOT-WRITABLE || echo root-read-only",
      "grep -e '^CapEff' -e '^CapBnd' -e '^NoNewPrivs' -e '^Seccomp:' /proc/self/status");

  @Test
  void shouldShareTheWorkspaceThroughTheFsGroupAndKeepTheSandboxOffTheState() throws Exception {
    // A service on this machine, where the pods reach it (the podman bridge's gateway address,
    // where the model gateway also listens), that the session's NetworkPolicy does not allow.
    String host = podman("network", "inspect", "podman", "--format",
        "{{range .Subnets}}{{.Gateway}}{{end}}").strip();
    @SuppressWarnings("resource")
    ServerSocket forbidden = new ServerSocket(0, 50, InetAddress.getByName(host));
    String egressProbe = "python3 -c \"import socket; socket.create_connection(('" + host + "', "
        + forbidden.getLocalPort() + "), 5); print('EGRESS-OPEN')\" 2>&1 | tail -n 1";
    model.script("[identity]",
        call("shell", args("command", "for i in $(seq 1 150); do [ -f by-runner.txt ] && break;"
            + " sleep 0.2; done; echo runner-file-seen")),
        call("shell", args("command", SANDBOX_PROBE + "; " + egressProbe)),
        say("probed"));
    cluster.apply(session("identity", model, null)
        + run("identity-run", "identity", "[identity] go"));
    AgentRun first = cluster.awaitPhase("identity-run", AgentRunPhase.Running,
        AgentRunPhase.Succeeded, AgentRunPhase.Failed);
    String runner = containerName(first.getStatus().getPodName(), "runner");

    // The runner writes the way its launcher does (umask 0002), as uid 1000.
    String runnerSide = exec(runner, "umask 0002; cd /data/workspace;"
        + " echo runner > by-runner.txt && echo created-by-runner;"
        + " echo \"id=$(id -u):$(id -g) groups=$(id -G)\";"
        + " touch /rootfs-probe 2>/dev/null && echo ROOT-WRITABLE || echo root-read-only;"
        + " touch /data/state/probe && echo state-writable;"
        + " grep -c agent-runner.jsa /proc/1/maps;"
        + " grep -e '^CapEff' -e '^NoNewPrivs' /proc/1/status");
    AgentRun run = cluster.awaitPhase("identity-run", AgentRunPhase.Succeeded,
        AgentRunPhase.Failed);

    assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Succeeded);
    assertThat(runnerSide)
        .contains("created-by-runner", "id=1000:1000", "root-read-only", "state-writable",
            "CapEff:\t0000000000000000", "NoNewPrivs:\t1")
        .doesNotContain("ROOT-WRITABLE");
    assertThat(runnerSide.lines().filter(l -> l.matches("[0-9]+")).findFirst())
        .as("the runner's JVM maps the image's AppCDS archive").hasValueSatisfying(
            count -> assertThat(Integer.parseInt(count)).isPositive());

    String sandboxSide = model.toolResultsSeen("[identity]");
    assertThat(sandboxSide)
        .contains("id=1001:1000", "created-by-sandbox", "changed-runners-file",
            "made-dir-by-sandbox", "state-invisible", "root-read-only",
            "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000", "NoNewPrivs:\t1",
            "Seccomp:\t2")
        .doesNotContain("STATE-VISIBLE", "ROOT-WRITABLE", "Permission denied");
    assertThat(sandboxSide).as("egress the session's NetworkPolicy does not allow is refused")
        .contains("Connection refused").doesNotContain("EGRESS-OPEN");
    forbidden.close();
    assertThat(sandboxSide).containsPattern("groups=[0-9 ]*\\b1000\\b");
    // Files the sandbox makes stay group-writable and in the fsGroup (setgid directories), so
    // the runner can snapshot and restore them; the socket is not the world's.
    assertThat(sandboxSide).containsPattern("mode 66[0-9] 1001:1000 by-sandbox.txt")
        .containsPattern("mode 27[0-9]{2} 1001:1000 made-by-sandbox")
        .containsPattern("mode [0-7]*[0-7][0-7][0145] 1001:1000 /run/agent/executor.sock");

    String changedBack = exec(runner, "umask 0002; cd /data/workspace;"
        + " echo runner >> by-sandbox.txt && echo changed-sandboxes-file;"
        + " touch made-by-sandbox/by-runner && echo wrote-into-sandboxes-dir;"
        + " cat by-runner.txt");
    assertThat(changedBack).contains("changed-sandboxes-file", "wrote-into-sandboxes-dir",
        "runner\nsandbox");
  }

  /** The podman container of {@code container} in the pod {@code pod} of this test's cluster. */
  private static String containerName(String pod, String container) throws IOException {
    String names = podman("ps", "--format", "{{.Names}}");
    return names.lines()
        .filter(n -> n.contains("_" + LocalClusterExtension.NS + "_" + pod + "_")
            && n.endsWith("_" + container))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + container + " of pod " + pod
            + " among " + names));
  }

  private static String exec(String container, String script) throws IOException {
    return podman("exec", container, "sh", "-c", script);
  }

  private static String podman(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("podman"));
    argv.addAll(List.of(args));
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(1, TimeUnit.MINUTES);
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
