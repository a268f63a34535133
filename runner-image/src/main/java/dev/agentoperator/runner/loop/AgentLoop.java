package dev.agentoperator.runner.loop;

import dev.agentoperator.runner.events.EventLog;
import dev.agentoperator.runner.llm.ChatMessage;
import dev.agentoperator.contract.runner.RunPhase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs one agent run: turns of a {@link ModelStep} and a {@link ToolStep}, each ending in a {@link
 * TurnOutcome}, until the model answers without tool calls, {@link RunControl} stops the run
 * (cancel, timeout, a limit, a suspension) or the model fails. {@link #run()} starts a run, {@link
 * #resume()} continues one from its {@link ResumePoint} (tool calls whose results were recorded
 * are not executed again).
 */
public final class AgentLoop {

  private final LoopConfig config;
  private final RunSpec spec;
  private final RunFiles files;
  private final LoopEvents events;
  private final ApprovalGate approvals = new ApprovalGate();
  private final QuestionGate questions = new QuestionGate();
  private final RunState state;
  private final RunControl control;
  private final ModelStep model;
  private final ToolStep tools;
  private final WorkspaceSnapshots snapshots;

  public AgentLoop(LoopConfig config, RunSpec spec) {
    this(config, spec, null);
  }

  /** With an event log created by the caller (e.g. the HTTP service, to serve it while running). */
  public AgentLoop(LoopConfig config, RunSpec spec, EventLog events) {
    this.config = config;
    this.spec = spec;
    this.files = new RunFiles(config.stateDir(), spec.runUid());
    this.events =
        new LoopEvents(
            events != null ? events : new EventLog(files.dir(), spec.runUid(), config.clock()),
            config.redactor());
    this.state = new RunState(spec.runUid(), files);
    this.control = new RunControl(spec.runUid(), spec.limits(), config.clock());
    this.model = new ModelStep(config, spec, state, control, this.events);
    HumanInput people = new HumanInput(state, this.events, approvals, questions, config.clock());
    this.tools = new ToolStep(config, spec.policy(), state, control, this.events, people);
    this.snapshots = new WorkspaceSnapshots(config.snapshots(), spec.runUid(), this.events);
  }

  public EventLog events() {
    return events.log();
  }

  /** Where this run's {@code ask} calls wait; the HTTP service answers them here. */
  public ApprovalGate approvals() {
    return approvals;
  }

  /** Where this run's {@code question} calls wait; the HTTP service answers them here. */
  public QuestionGate questions() {
    return questions;
  }

  public String runUid() {
    return spec.runUid();
  }

  /** The run's current numbers (final once the run ended). */
  public RunResult current() {
    return state.current();
  }

  /** Starts the run; refuses when the run already has a checkpoint (use {@link #resume()}). */
  public RunResult run() {
    if (files.readCheckpoint().isPresent()) {
      throw new IllegalStateException(
          "run " + spec.runUid() + " already has a checkpoint in " + files.dir() + "; resume it");
    }
    // The timeout counts from here, the skill listing included.
    Instant startedAt = config.clock().instant();
    String system =
        SkillsPrompt.withSkills(
            config.systemPrompt(), spec, config.tools(), tools.context(), config.redactor());
    state.start(startedAt, ChatMessage.system(system), ChatMessage.user(spec.prompt()));
    state.checkpoint();
    announceStart(false);
    return drive(List.of());
  }

  /**
   * Continues the run from its checkpoint: a finished run returns its recorded result, a run
   * without a checkpoint starts fresh.
   */
  public RunResult resume() {
    Optional<Checkpoint> saved = files.readCheckpoint();
    if (saved.isEmpty()) {
      return run();
    }
    if (saved.get().phase().isFinal()) {
      return state.ended(saved.get().toResult());
    }
    ResumePoint point = ResumePoint.of(saved.get(), files.readTranscript(), events.log().all());
    state.restore(point);
    announceStart(true);
    return drive(point.unanswered());
  }

  /**
   * Cancels the run: the in-flight model call or running tool is interrupted and no further model
   * call is made. Safe to call from any thread, before or during the run.
   */
  public void cancel() {
    control.cancel();
  }

  /**
   * Stops the run without ending it, for a runner that is shutting down: the in-flight work is
   * interrupted, the checkpoint stays resumable, no final event is emitted, and {@link #run()} or
   * {@link #resume()} returns phase Running with reason {@code Suspended}. A tool call that was
   * interrupted runs again on resume.
   */
  public void suspend() {
    control.suspend();
  }

  /** Turns until one ends the run; a resumed run first runs the calls its last step left. */
  private RunResult drive(List<PendingCall> unanswered) {
    try (RunControl.Attachment attached = control.attach(state.startedAt())) {
      TurnOutcome outcome =
          unanswered.isEmpty() ? TurnOutcome.RUN_AGAIN : guarded(() -> runTools(unanswered));
      while (true) {
        switch (outcome) {
          case TurnOutcome.FinalAnswer answer -> {
            return succeed(answer);
          }
          case TurnOutcome.Interrupted stopped -> {
            return stop(stopped.reason());
          }
          case TurnOutcome.RunAgain again -> outcome = guarded(this::turn);
        }
      }
    } catch (RuntimeException e) {
      return stop(RunFailure.stopReason(e, control, config.redactor(), spec.runUid()));
    }
  }

  /** One model call and the tool calls it asks for. */
  private TurnOutcome turn() throws InterruptedException, LimitExceeded {
    control.checkBeforeModelCall(state.steps(), state.usage());
    events.stepStarted(state.nextStep());
    ModelStep.Answer answer = model.call();
    if (!answer.message().hasToolCalls()) {
      return new TurnOutcome.FinalAnswer(answer.message().text(), answer.cutAtOutputLimit());
    }
    return runTools(PendingCall.allOf(answer.message()));
  }

  private TurnOutcome runTools(List<PendingCall> calls)
      throws InterruptedException, LimitExceeded {
    boolean mayHaveChangedFiles = tools.run(calls);
    state.checkpoint();
    if (mayHaveChangedFiles) {
      snapshots.take(state.steps(), "step " + state.steps());
    }
    return TurnOutcome.RUN_AGAIN;
  }

  /** A stop (an interrupt) or a limit met during {@code step} becomes its outcome. */
  private TurnOutcome guarded(TurnBody step) {
    try {
      return step.run();
    } catch (InterruptedException e) {
      return new TurnOutcome.Interrupted(control.stopReason());
    } catch (LimitExceeded e) {
      return new TurnOutcome.Interrupted(e.stopReason());
    }
  }

  @FunctionalInterface
  private interface TurnBody {
    TurnOutcome run() throws InterruptedException, LimitExceeded;
  }

  private RunResult succeed(TurnOutcome.FinalAnswer answer) {
    return finish(
        RunPhase.Succeeded,
        "Completed",
        answer.text(),
        "the model answered after "
            + state.steps()
            + " step(s)"
            + (answer.cutAtOutputLimit() ? "; the answer was cut at the output token limit" : ""));
  }

  private RunResult stop(StopReason reason) {
    return reason.suspends()
        ? suspended()
        : finish(reason.phase(), reason.reason(), null, reason.message());
  }

  /** Resumable: checkpointed as Running, no final event, no final result. */
  private RunResult suspended() {
    control.finishing();
    state.phase(RunPhase.Running);
    state.checkpoint();
    return state.suspended();
  }

  private RunResult finish(RunPhase outcome, String reason, String answer, String message) {
    // The final answer reaches status, events and logs: a secret the model repeats must not.
    String result = answer == null ? null : config.redactor().redact(answer);
    control.finishing();
    state.phase(outcome);
    try {
      snapshots.take(
          state.steps(), "run " + outcome.name().toLowerCase() + " after step " + state.steps());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RunResult end = state.end(outcome, reason, result, message);
    state.checkpoint();
    events.runEnded(end);
    return end;
  }

  private void announceStart(boolean resumed) {
    List<ChatMessage> context = state.context();
    String prompt = context.size() > 1 ? context.get(1).text() : spec.prompt();
    events.runStarted(resumed, model.modelName(), prompt, state.steps());
  }
}
