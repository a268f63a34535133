package dev.agentoperator.runner.loop;

import static dev.agentoperator.runner.loop.LoopFixture.eventsOf;
import static dev.agentoperator.testing.model.ModelAnswers.finalAnswer;
import static dev.agentoperator.testing.model.ModelAnswers.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopPolicyTest {

  @TempDir Path root;
  LoopFixture fx;

  @BeforeEach
  void setUp() {
    fx = new LoopFixture(root);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static RunSpec spec(String uid, ToolPolicy policy) {
    return RunSpec.of(uid, "Tidy up the workspace").withPolicy(policy::decide);
  }

  @Test
  void shouldBlockADeniedCallAndTellTheModelWhy() throws Exception {
    // given
    Files.writeString(fx.workspace.resolve("keep.txt"), "precious");
    fx.server
        .then(toolCalls("shell", "{\"command\":\"rm -f keep.txt\"}"))
        .then(finalAnswer("Gave up."));
    ToolPolicy policy = ToolPolicy.of(List.of("*"), List.of(), List.of("shell:rm *"));
    AgentLoop loop = fx.loop(spec("deny-1", policy));

    // when
    RunResult result = loop.run();

    // then
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(fx.workspace.resolve("keep.txt")).exists();
    assertThat(fx.messagesOf(1).getLast().text())
        .startsWith("Error: The tool policy does not allow this call")
        .contains("shell:rm *");
    RunEvent blocked = eventsOf(loop, EventType.TOOL_BLOCKED).getFirst();
    assertThat(blocked.data().path("pattern").asText()).isEqualTo("shell:rm *");
    assertThat(blocked.data().path("argument").asText()).isEqualTo("rm -f keep.txt");
    assertThat(eventsOf(loop, EventType.TOOL_CALLED)).isEmpty();
    assertThat(fx.stdout()).contains("x shell blocked by policy: rm -f keep.txt");
  }

  @Test
  void shouldRunAnAskCallOnceAPersonApprovesIt() throws Exception {
    // given
    fx.server
        .then(toolCalls("write_file", "{\"path\":\"release.txt\",\"content\":\"v1\"}"))
        .then(finalAnswer("Released."));
    ToolPolicy policy = ToolPolicy.of(List.of("read_file"), List.of("write_file"), List.of());
    AgentLoop loop = fx.loop(spec("ask-1", policy));

    // when the run waits and a person approves
    CompletableFuture<RunResult> run = fx.start(loop);
    RunEvent required = awaitApprovalRequest(loop);
    assertThat(loop.current().phase()).isEqualTo(RunPhase.AwaitingApproval);
    assertThat(loop.approvals().pending())
        .extracting(ApprovalGate.PendingApproval::id)
        .containsExactly(required.data().path("id").asText());
    assertThat(fx.workspace.resolve("release.txt")).doesNotExist();
    boolean waiting =
        loop.approvals().resolve(required.data().path("id").asText(), "approve", "ok");

    // then
    assertThat(waiting).isTrue();
    RunResult result = run.get();
    assertThat(result.phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(Files.readString(fx.workspace.resolve("release.txt"))).isEqualTo("v1");
    assertThat(required.data().path("summary").asText()).isEqualTo("write_file: release.txt");
    assertThat(
            eventsOf(loop, EventType.APPROVAL_RESOLVED).getFirst().data().path("decision").asText())
        .isEqualTo("approve");
  }

  @Test
  void shouldReturnTheReasonToTheModelWhenAPersonDeniesAnAskCall() throws Exception {
    // given
    fx.server
        .then(toolCalls("shell", "{\"command\":\"git push --force\"}"))
        .then(finalAnswer("Did not push."));
    ToolPolicy policy = ToolPolicy.of(List.of("shell"), List.of("shell:git push*"), List.of());
    AgentLoop loop = fx.loop(spec("ask-2", policy));

    // when
    CompletableFuture<RunResult> run = fx.start(loop);
    RunEvent required = awaitApprovalRequest(loop);
    loop.approvals().resolve(required.data().path("id").asText(), "deny", "never force-push main");

    // then
    assertThat(run.get().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(fx.messagesOf(1).getLast().text())
        .isEqualTo("Error: A person denied this call. Reason: never force-push main");
    assertThat(eventsOf(loop, EventType.TOOL_CALLED)).isEmpty();
  }

  @Test
  void shouldNotApproveACallWithAnApprovalGivenInAdvanceForItsPosition() throws Exception {
    // given an approval given before the call exists, under the id of its position
    fx.server.then(toolCalls("shell", "{\"command\":\"touch made.txt\"}")).then(finalAnswer("Done."));
    ToolPolicy policy = ToolPolicy.of(List.of(), List.of("shell"), List.of());
    AgentLoop loop = fx.loop(spec("ask-3", policy));
    boolean waiting = loop.approvals().resolve("approval-1-1", "approve", null);

    // when the call comes
    CompletableFuture<RunResult> run = fx.start(loop);
    RunEvent required = awaitApprovalRequest(loop);

    // then the run still waits, for an approval of this call under an id shown only now
    String shown = required.data().path("id").asText();
    assertThat(waiting).isFalse();
    assertThat(shown).startsWith("approval-1-1-");
    assertThat(loop.current().phase()).isEqualTo(RunPhase.AwaitingApproval);
    assertThat(fx.workspace.resolve("made.txt")).doesNotExist();
    loop.approvals().resolve(shown, "approve", null);
    assertThat(run.get().phase()).isEqualTo(RunPhase.Succeeded);
    assertThat(fx.workspace.resolve("made.txt")).exists();
  }

  private static RunEvent awaitApprovalRequest(AgentLoop loop) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !eventsOf(loop, EventType.APPROVAL_REQUIRED).isEmpty());
    return eventsOf(loop, EventType.APPROVAL_REQUIRED).getFirst();
  }
}
