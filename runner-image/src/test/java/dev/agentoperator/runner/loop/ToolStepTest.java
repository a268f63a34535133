package dev.agentoperator.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentoperator.contract.policy.ToolPolicy;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.runner.llm.ToolCall;
import dev.agentoperator.runner.sandbox.SandboxExecutor;
import dev.agentoperator.runner.tools.ToolExecutor;
import dev.agentoperator.runner.tools.ToolRegistry;
import dev.agentoperator.runner.tools.ToolResult;
import dev.agentoperator.runner.tools.ToolSettings;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool step alone: policy, approval and execution through a sandbox executor that the test
 * plays (a stand-in that records what reached it, or a real {@link SandboxExecutor} on a socket
 * that misbehaves). Asserts on what the model is given back.
 */
class ToolStepTest {

  private static final String SECRET = "runner-token-0123456789abcdef";
  private static final ToolCallPolicy NEVER_ASKED =
      (tool, argument) -> {
        throw new AssertionError("the policy was asked about " + tool);
      };

  @TempDir Path root;
  private Path workspace;
  private RunState state;
  private EventLog log;
  private RunControl control;
  private final ApprovalGate approvals = new ApprovalGate();
  private final List<String> reachedSandbox = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    workspace = Files.createDirectories(root.resolve("workspace"));
    RunFiles files = new RunFiles(root.resolve("state"), "run-1");
    state = new RunState("run-1", files);
    state.start(Clock.systemUTC().instant(), ChatMessage.system("s"), ChatMessage.user("task"));
    state.nextStep();
    log = new EventLog(files.dir(), "run-1");
  }

  private ToolStep step(ToolCallPolicy policy, ToolExecutor sandbox, RunLimits limits) {
    ToolRegistry registry = ToolRegistry.standard(ToolSettings.defaults());
    LoopConfig config =
        LoopConfig.of(null, "m", new RegistryToolBox(registry, sandbox), workspace, root)
            .withRedactor(new Redactor(List.of(SECRET)));
    control = new RunControl("run-1", limits, Clock.systemUTC());
    LoopEvents events = new LoopEvents(log, config.redactor());
    HumanInput people =
        new HumanInput(state, events, approvals, new QuestionGate(), Clock.systemUTC());
    return new ToolStep(config, policy, state, control, events, people);
  }

  private ToolStep step(ToolCallPolicy policy, ToolExecutor sandbox) {
    return step(policy, sandbox, RunLimits.unlimited());
  }

  /** A sandbox that runs nothing: it records the call and answers {@code output}. */
  private ToolExecutor answering(String output) {
    return (call, context) -> {
      reachedSandbox.add(call.toolName() + " " + call.mainArgument());
      return ToolResult.ok(output);
    };
  }

  private static PendingCall shell(String id, int position, String command) {
    return new PendingCall(
        new ToolCall(id, "shell", "{\"command\":\"" + command + "\"}"), position);
  }

  /** The id step 1 asks {@code call}'s approval under (as a runner before a restart showed it). */
  private String shownId(PendingCall call) {
    return HumanInputIds.of("run-1", state.files().dir()).approval(1, call);
  }

  private List<String> resultsForModel() {
    return state.context().stream()
        .filter(m -> m.isRole(ChatMessage.TOOL))
        .map(ChatMessage::text)
        .toList();
  }

  private List<String> types() {
    return log.all().stream().map(RunEvent::type).toList();
  }

  @Test
  void shouldAnswerAnUnknownToolWithAToolErrorWithoutAskingThePolicy() throws Exception {
    PendingCall unknown = new PendingCall(new ToolCall("c1", "rm_rf", "{}"), 1);

    boolean changed = step(NEVER_ASKED, answering("ran")).run(List.of(unknown));

    assertThat(changed).isFalse();
    assertThat(resultsForModel()).singleElement().asString().contains("unknown tool 'rm_rf'");
    assertThat(reachedSandbox).isEmpty();
    assertThat(types()).containsExactly(EventType.TOOL_RESULT);
    assertThat(log.all().getFirst().data().path("rejected").asBoolean()).isTrue();
  }

  @Test
  void shouldDenyByDefaultAToolThePolicyDoesNotName() throws Exception {
    ToolPolicy onlyReading = ToolPolicy.of(List.of("read_file"), List.of(), List.of());

    boolean changed =
        step(onlyReading::decide, answering("ran")).run(List.of(shell("c1", 1, "rm -rf /")));

    assertThat(changed).isFalse();
    assertThat(resultsForModel())
        .singleElement()
        .asString()
        .startsWith("Error: The tool policy does not allow this call");
    assertThat(reachedSandbox).isEmpty();
    assertThat(types()).containsExactly(EventType.TOOL_BLOCKED);
  }

  @Test
  void shouldRunAnAskCallOnlyOnceAPersonApprovedIt() throws Exception {
    // given an approval already given (as after a restart) under the id the call was shown with
    ToolPolicy asking = ToolPolicy.of(List.of(), List.of("shell"), List.of());
    PendingCall call = shell("c1", 1, "echo hi");
    approvals.resolve(shownId(call), "approve", "fine");

    // when
    boolean changed = step(asking::decide, answering("hi")).run(List.of(call));

    // then
    assertThat(changed).isTrue();
    assertThat(reachedSandbox).containsExactly("shell echo hi");
    assertThat(resultsForModel()).containsExactly("hi");
    assertThat(types())
        .containsExactly(
            EventType.APPROVAL_REQUIRED,
            EventType.APPROVAL_RESOLVED,
            EventType.TOOL_CALLED,
            EventType.TOOL_RESULT);
    assertThat(approvals.pending()).isEmpty();
    assertThat(state.current().phase()).isEqualTo(RunPhase.Running);
  }

  @Test
  void shouldNotRunACallAPersonDeniedAndTellTheModelWhy() throws Exception {
    ToolPolicy asking = ToolPolicy.of(List.of(), List.of("shell"), List.of());
    PendingCall call = shell("c1", 1, "deploy");
    approvals.resolve(shownId(call), "deny", "not on Fridays");

    step(asking::decide, answering("ran")).run(List.of(call));

    assertThat(reachedSandbox).isEmpty();
    assertThat(resultsForModel())
        .containsExactly("Error: A person denied this call. Reason: not on Fridays");
  }

  @Test
  void shouldGiveTheModelAToolErrorAndGoOnWhenTheSandboxExecutorIsNotReachable()
      throws Exception {
    SandboxExecutor nobodyListening =
        new SandboxExecutor(root.resolve("missing.sock"), Duration.ofMillis(200));

    step(TestPolicies.everyTool(), nobodyListening)
        .run(List.of(shell("c1", 1, "echo one"), shell("c2", 2, "echo two")));

    assertThat(resultsForModel())
        .hasSize(2)
        .allSatisfy(text -> assertThat(text).startsWith("Error: ").contains("not reachable"));
    assertThat(log.all())
        .filteredOn(e -> e.type().equals(EventType.TOOL_RESULT))
        .allSatisfy(e -> assertThat(e.data().path("error").asBoolean()).isTrue());
  }

  @Test
  void shouldGiveTheModelAToolErrorWhenTheExecutorHangsUpWithoutAnAnswer() throws Exception {
    // given a sandbox whose executor accepts the call and closes the connection
    Path socket = root.resolve("executor.sock");
    ServerSocketChannel hangingUp = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    hangingUp.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofVirtual()
        .start(
            () -> {
              try (hangingUp;
                  SocketChannel channel = hangingUp.accept()) {
                // closes without a word
              } catch (IOException e) {
                // the test is over
              }
            });

    // when
    step(TestPolicies.everyTool(), new SandboxExecutor(socket, Duration.ofSeconds(5)))
        .run(List.of(shell("c1", 1, "echo hi")));

    // then
    assertThat(resultsForModel())
        .singleElement()
        .asString()
        .startsWith("Error: ")
        .contains("shell");
  }

  @Test
  void shouldRedactASecretTheSandboxEchoesBeforeTheModelOrTheEventsSeeIt() throws Exception {
    step(TestPolicies.everyTool(), answering("AGENT_RUNNER_TOKEN=" + SECRET))
        .run(List.of(shell("c1", 1, "env")));

    assertThat(resultsForModel()).containsExactly("AGENT_RUNNER_TOKEN=<redacted>");
    assertThat(log.all()).allSatisfy(e -> assertThat(e.data().toString()).doesNotContain(SECRET));
    Path transcript = RunFiles.runDir(root.resolve("state"), "run-1").resolve(RunFiles.TRANSCRIPT);
    assertThat(Files.readString(transcript)).doesNotContain(SECRET);
  }

  @Test
  void shouldStopBeforeTheCallOverTheToolCallLimit() throws Exception {
    ToolStep step =
        step(TestPolicies.everyTool(), answering("ok"), RunLimits.unlimited().withMaxToolCalls(1));

    assertThatThrownBy(() -> step.run(List.of(shell("c1", 1, "one"), shell("c2", 2, "two"))))
        .isInstanceOfSatisfying(
            LimitExceeded.class, e -> assertThat(e.reason()).isEqualTo("MaxToolCallsExceeded"));
    assertThat(reachedSandbox).containsExactly("shell one");
    assertThat(resultsForModel()).hasSize(1);
    assertThat(state.toolCalls()).isEqualTo(1);
  }

  @Test
  void shouldDropAResultThatArrivesAfterTheRunWasCancelled() {
    // given a sandbox that answers only after the run was cancelled
    ToolExecutor late =
        (call, context) -> {
          control.cancel();
          return ToolResult.ok("too late");
        };
    ToolStep step = step(TestPolicies.everyTool(), late);

    // when / then: the stop wins, nothing is recorded as the call's result
    assertThatThrownBy(() -> step.run(List.of(shell("c1", 1, "sleep 60"))))
        .isInstanceOf(InterruptedException.class);
    assertThat(resultsForModel()).isEmpty();
    assertThat(types()).containsExactly(EventType.TOOL_CALLED);
  }
}
