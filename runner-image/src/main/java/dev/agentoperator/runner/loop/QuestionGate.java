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

  /** A person's answer; {@code by} names them (null when the answer named no one). */
  public record Answer(String text, String by) {}

  private final WaitingRoom<PendingQuestion, Answer> room = new WaitingRoom<>();

  /** Answers question {@code id}; true when the run was waiting for it, false when kept. */
  public boolean resolve(String id, String answer, String by) {
    return room.resolve(id, new Answer(answer, by));
  }

  /** As above, for an answer that names no one. */
  public boolean resolve(String id, String answer) {
    return resolve(id, answer, null);
  }

  public List<PendingQuestion> pending() {
    return room.pending();
  }

  void open(PendingQuestion question) {
    room.open(question.id(), question);
  }

  Answer await(String id) throws InterruptedException {
    return room.await(id);
  }
}
