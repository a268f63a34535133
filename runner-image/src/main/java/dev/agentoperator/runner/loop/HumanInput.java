package dev.agentoperator.runner.loop;

import dev.agentoperator.contract.runner.RunPhase;
import java.time.Clock;
import java.util.List;

/**
 * Asks a person on the run's behalf: approval of an {@code ask} call, the answer to a {@code
 * question} call. The run waits in phase AwaitingApproval or AwaitingInput until the HTTP service
 * answers through the gate, or a stop interrupts the wait.
 */
final class HumanInput {

  private final RunState state;
  private final LoopEvents events;
  private final ApprovalGate approvals;
  private final QuestionGate questions;
  private final Clock clock;
  private HumanInputIds ids;

  HumanInput(
      RunState state,
      LoopEvents events,
      ApprovalGate approvals,
      QuestionGate questions,
      Clock clock) {
    this.state = state;
    this.events = events;
    this.approvals = approvals;
    this.questions = questions;
    this.clock = clock;
  }

  /** Blocks until a person approves or denies {@code pending}; {@code summary} is what they see. */
  ApprovalGate.Decision approve(PendingCall pending, CheckedCall checked, String summary)
      throws InterruptedException {
    int step = state.steps();
    String id = ids().approval(step, pending);
    approvals.open(
        new ApprovalGate.PendingApproval(id, checked.toolName(), summary, clock.instant()));
    ApprovalGate.Decision answer =
        await(
            RunPhase.AwaitingApproval,
            () ->
                events.approvalRequired(
                    step, pending.call(), checked.mainArgument(), id, summary),
            () -> approvals.await(id));
    events.approvalResolved(id, answer);
    state.checkpoint();
    return answer;
  }

  /** Blocks until a person answers the question {@code pending} (a question call) asks. */
  String answer(PendingCall pending, String question, List<String> choices)
      throws InterruptedException {
    int step = state.steps();
    String id = ids().question(step, pending);
    questions.open(new QuestionGate.PendingQuestion(id, question, choices, clock.instant()));
    QuestionGate.Answer answer =
        await(
            RunPhase.AwaitingInput,
            () -> events.questionAsked(step, pending.call(), id, question, choices),
            () -> questions.await(id));
    events.questionAnswered(step, id, answer);
    state.checkpoint();
    return answer.text();
  }

  /** Made at the first question, so a run that never asks writes no key. */
  private synchronized HumanInputIds ids() {
    if (ids == null) {
      ids = HumanInputIds.of(state.runUid(), state.files().dir());
    }
    return ids;
  }

  /**
   * The entry is open in its gate and the phase is set before the event: whoever reacts to the
   * event sees a consistent run (listed as pending, checkpointed as waiting).
   */
  private <A> A await(RunPhase waiting, Runnable announce, Wait<A> wait)
      throws InterruptedException {
    state.phase(waiting);
    try {
      state.checkpoint();
      announce.run();
      return wait.await();
    } finally {
      state.phase(RunPhase.Running);
    }
  }

  @FunctionalInterface
  private interface Wait<A> {
    A await() throws InterruptedException;
  }
}
