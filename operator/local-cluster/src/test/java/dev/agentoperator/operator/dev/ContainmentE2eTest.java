package dev.agentoperator.operator.dev;

import static dev.agentoperator.operator.dev.E2eYaml.MODEL_KEY_SECRET;
import static dev.agentoperator.operator.dev.E2eYaml.run;
import static dev.agentoperator.operator.dev.E2eYaml.session;
import static dev.agentoperator.operator.dev.ScriptedModel.args;
import static dev.agentoperator.testing.model.Turn.call;
import static dev.agentoperator.testing.model.Turn.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.operator.api.v1alpha1.AgentRun;
import dev.agentoperator.operator.api.v1alpha1.AgentRunPhase;
import dev.agentoperator.operator.api.v1alpha1.ApprovalDecision;
import dev.agentoperator.operator.session.SessionNames;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is the adversary: from inside real tool calls of real runs (on bwrap: runner and
 * executor processes, the sandbox under bubblewrap; on podman: the pod's real containers), it tries to take the model key and the runner token,
 * to touch the runner's state and to answer its own approval. Assertions are on what the model
 * received, on the transcripts and on what the agent managed to write into its workspace.
 */
class ContainmentE2eTest {

  private static final String MODEL_KEY = "sk-e2e-fake-key";
  private static final String STOCK_IMAGE = "python:3.12-slim";

  // Everything a process in the sandbox can read, poured into the workspace: env, every visible
  // process's environ and cmdline, every readable file outside the system dirs and the runtime.
  private static final String LOOT =
      "{ env; for p in /proc/[0-9]*; do echo \"== $p\"; cat $p/environ $p/cmdline; echo; done;"
          + " find / \\( -path /proc -o -path /sys -o -path /usr -o -path /dev"
          + " -o -path /agent/jre -o -path /data/workspace/loot.txt \\) -prune -o -type f -print"
          + " 2>/dev/null | while read -r f; do echo \"== $f\"; head -c 65536 \"$f\"; done;"
          + " ls -la / /data /run/agent; } > loot.txt 2>&1; wc -c loot.txt";

  // A background process, outliving its shell call, that tries to approve the pending call with
  // no token and with every token-like value it can find, on every loopback address.
  private static final String SELF_APPROVER =
      "cat > approver.sh <<'EOF'\n"
          + "tokens=\"none $(cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -i -e token"
          + " -e key | cut -d= -f2-)\"\n"
          + "for round in 1 2 3 4 5 6 7 8 9 10; do\n"
          + "  for ip in 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 127.0.0.6; do\n"
          + "    for t in $tokens; do\n"
          + "      if exec 3<>/dev/tcp/$ip/8080; then\n"
          + "        printf 'GET /v1/runs HTTP/1.0\\r\\nAuthorization: Bearer %s\\r\\n\\r\\n' \"$t\" >&3\n"
          + "        head -c 300 <&3 >> attempts.txt; exec 3>&-\n"
          + "      else echo \"$ip unreachable\" >> attempts.txt; fi\n"
          + "    done\n"
          + "  done\n"
          + "  sleep 0.3\n"
          + "done\n"
          + "touch attack-finished\n"
          + "EOF\n"
          + "setsid bash approver.sh > /dev/null 2>&1 < /dev/null & echo started";

  @TempDir static Path stockImage;

  @AutoClose static final ScriptedModel model = ScriptedModel.started();

  @RegisterExtension
  static final LocalClusterExtension cluster = LocalClusterExtension.named("containment")
      .withImage(STOCK_IMAGE, ContainmentE2eTest::stockImage).applying(MODEL_KEY_SECRET);

  /** The stand-in for {@link #STOCK_IMAGE}: a few host tools and a marker command. */
  private static Path stockImage() throws IOException {
    // An image's files are readable by every uid; a JUnit temp dir is its owner's only.
    Files.setPosixFilePermissions(stockImage, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.createDirectories(stockImage.resolve("bin"));
    Path marker = bin.resolve("stock-toolchain");
    Files.writeString(marker, "#!/bin/sh\necho stock toolchain 3.12\n");
    Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String tool : List.of("sh", "bash", "cat", "ls", "echo", "setsid", "test", "[")) {
      Path host = Path.of("/usr/bin", tool);
      if (Files.exists(host)) {
        Files.copy(host, bin.resolve(tool));
      }
    }
    return stockImage;
  }

  @Test
  void shouldGiveTheAgentNoByteOfTheModelKeyOrTheRunnerToken() throws Exception {
    LocalClusterExtension.requireIsolation();
    model.script("[loot]",
        call("shell", args("command", LOOT)),
        call("shell", args("command", "cat loot.txt | rev | base64 -w0 | head -c 20000")),
        call("read_file", args("path", "/proc/1/environ")),
        call("shell", args("command", "cat /proc/*/environ /proc/*/cmdline | base64 -w0")),
        say("done looting"));
    cluster.apply(session("loot", model, null) + run("loot-run", "loot", "[loot] go"));

    AgentRun run = cluster.awaitPhase("loot-run", AgentRunPhase.Succeeded, AgentRunPhase.Failed);

    assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Succeeded);
    String token = runnerToken("loot");
    String loot = new String(
        Files.readAllBytes(cluster.workspace("loot").resolve("loot.txt")), StandardCharsets.ISO_8859_1);
    assertThat(loot).as("the loot proves the search ran").contains("== /proc/").contains("PATH=");
    List<String> everything = new ArrayList<>();
    everything.add(model.toolResultsSeen("[loot]"));
    everything.add(loot);
    everything.addAll(textFiles(cluster.state("loot").resolve("runs")));
    for (String text : everything) {
      assertNoTraceOf(MODEL_KEY, text);
      assertNoTraceOf(token, text);
    }
  }

  @Test
  void shouldNeitherShowNorLetTheAgentChangeTheRunnersState() throws Exception {
    LocalClusterExtension.requireIsolation();
    model.script("[state]",
        call("shell", args("command",
            "ls -la /data; ls /data/state; echo tamper > /data/state/tampered; "
                + "ls -la /data/state/runs")),
        call("write_file", args("path", "../state/tampered", "content", "tamper")),
        call("read_file", args("path", "/data/state/snapshots.git/HEAD")),
        say("done"));
    cluster.apply(session("state", model, null) + run("state-run", "state", "[state] go"));

    cluster.awaitPhase("state-run", AgentRunPhase.Succeeded);

    String seen = model.toolResultsSeen("[state]");
    assertThat(seen).contains("workspace").doesNotContain("ref: refs/heads");
    assertThat(cluster.state("state").resolve("tampered")).doesNotExist();
    try (Stream<Path> files = Files.walk(cluster.state("state"))) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("tampered"))).isEmpty();
    }
  }

  @Test
  void shouldKeepARunAwaitingApprovalWhileTheAgentTriesToApproveItself() throws Exception {
    LocalClusterExtension.requireIsolation();
    model.script("[self-approve]",
        call("shell", args("command", SELF_APPROVER)),
        call("shell", args("command", "touch approved-by-agent")),
        say("the approved command ran"));
    cluster.apply(session("selfish", model, null)
        + run("selfish-run", "selfish", "[self-approve] go"));

    cluster.awaitPhase("selfish-run", AgentRunPhase.AwaitingApproval);
    Path workspace = cluster.workspace("selfish");
    await().atMost(LocalClusterExtension.RUN_TIMEOUT)
        .until(() -> Files.exists(workspace.resolve("attack-finished")));

    AgentRun stillWaiting = cluster.run("selfish-run");
    assertThat(stillWaiting.getStatus().getPhase()).isEqualTo(AgentRunPhase.AwaitingApproval);
    assertThat(workspace.resolve("approved-by-agent")).doesNotExist();
    assertThat(Files.readString(workspace.resolve("attempts.txt")))
        .doesNotContain("200 OK").doesNotContain("\"runs\"");

    String id = stillWaiting.getStatus().getPendingApprovals().getFirst().id();
    cluster.answer("selfish-run", id, ApprovalDecision.approve, null);

    cluster.awaitPhase("selfish-run", AgentRunPhase.Succeeded);
    assertThat(workspace.resolve("approved-by-agent")).exists();
  }

  @Test
  void shouldGiveARunWithoutAnyPolicyNoToolAtAll() throws Exception {
    model.script("[no-policy]",
        call("shell", args("command", "touch pwned")),
        call("write_file", args("path", "pwned.txt", "content", "x")),
        say("nothing was allowed"));
    String noPolicy = session("bare", model, null)
        .replace("  tools:\n", "")
        .replaceAll("(?m)^ +(allow|ask): .*\n", "");
    assertThat(noPolicy).doesNotContain("allow").doesNotContain("tools");
    cluster.apply(noPolicy + run("bare-run", "bare", "[no-policy] go"));

    cluster.awaitPhase("bare-run", AgentRunPhase.Succeeded);

    assertThat(model.toolResultsSeen("[no-policy]"))
        .contains("tool policy does not allow shell")
        .contains("tool policy does not allow write_file");
    assertThat(cluster.workspace("bare").resolve("pwned")).doesNotExist();
    assertThat(cluster.workspace("bare").resolve("pwned.txt")).doesNotExist();
  }

  @Test
  void shouldRunTheToolsInAStockImageWithoutOurRuntime() throws Exception {
    LocalClusterExtension.requireIsolation();
    model.script("[stock]",
        call("write_file", args("path", "app/main.py", "content", "print('hello')\n")),
        call("apply_patch", args("patch", """
            --- a/app/main.py
            +++ b/app/main.py
            @@ -1 +1 @@
            -print('hello')
            +print('hello from the stock image')
            """)),
        call("shell", args("command", "stock-toolchain && cat app/main.py && id -u")),
        say("done"));
    cluster.apply(session("stock", model, null)
            .replace("  tools:", "  sandbox: {image: \"" + STOCK_IMAGE + "\"}\n  tools:")
            .replace("allow: [shell, write_file, read_file]",
                "allow: [shell, write_file, read_file, apply_patch]")
        + run("stock-run", "stock", "[stock] go"));

    AgentRun run = cluster.awaitPhase("stock-run", AgentRunPhase.Succeeded, AgentRunPhase.Failed);

    assertThat(run.getStatus().getPhase()).isEqualTo(AgentRunPhase.Succeeded);
    assertThat(Files.readString(cluster.workspace("stock").resolve("app/main.py")))
        .isEqualTo("print('hello from the stock image')\n");
    assertThat(model.toolResultsSeen("[stock]"))
        .contains("stock toolchain 3.12")
        .contains("print('hello from the stock image')")
        .contains("1001");
  }

  private String runnerToken(String session) {
    Secret secret = cluster.client().secrets().inNamespace(LocalClusterExtension.NS)
        .withName(SessionNames.runnerTokenSecret(session)).get();
    Map<String, String> data = secret.getData();
    String encoded = data.values().iterator().next();
    String token = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    assertThat(token).hasSizeGreaterThan(16);
    return token;
  }

  /** The value, its reverse and its base64 (padded or not) appear nowhere in {@code text}. */
  private static void assertNoTraceOf(String secret, String text) {
    String reversed = new StringBuilder(secret).reverse().toString();
    String base64 = Base64.getEncoder().withoutPadding()
        .encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    String reversedBase64 = Base64.getEncoder().withoutPadding()
        .encodeToString(reversed.getBytes(StandardCharsets.UTF_8));
    assertThat(text).doesNotContain(secret).doesNotContain(reversed)
        .doesNotContain(base64.substring(0, base64.length() - 2))
        .doesNotContain(reversedBase64.substring(0, reversedBase64.length() - 2));
  }

  private static List<String> textFiles(Path dir) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        texts.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return texts;
  }
}
