package dev.agentoperator.runner.loop;

import java.time.Instant;
import java.util.List;

/**
 * Where a run waits for a person's answer to a {@code question} call. The loop registers the
 * question and blocks; the HTTP service calls {@link #resolve} with the answer from {@code
 * spec.answers}. An answer given before the (resumed) loop asks again is kept.
 */
public final class QuestionGate {

  /** A question the run waits on. */
  public record PendingQuestion(String id, String question, List<String> choices, Instant askedAt) {}

  private final WaitingRoom<PendingQuestion, String> room = new WaitingRoom<>();

  /** Answers question {@code id}; true when the run was waiting for it, false when kept. */
  public boolean resolve(String id, String answer) {
    return room.resolve(id, answer);
  }

  public List<PendingQuestion> pending() {
    return room.pending();
  }

  void open(PendingQuestion question) {
    room.open(question.id(), question);
  }

  String await(String id) throws InterruptedException {
    return room.await(id);
  }
}
