package dev.agentoperator.runner.loop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the loop waits for a person: entries it waits for by id, and answers by id. An answer may
 * arrive before its entry is opened (an operator replaying the spec's answers after a restart): it
 * is kept and used when the loop asks. The first answer to an id wins.
 *
 * @param <P> what is pending (an approval, a question)
 * @param <A> the answer
 */
final class WaitingRoom<P, A> {

  private final Map<String, P> pending = new LinkedHashMap<>();
  private final Map<String, A> answers = new HashMap<>();

  /** Answers {@code id}; true when the loop was waiting for it, false when kept for later. */
  synchronized boolean resolve(String id, A answer) {
    answers.putIfAbsent(id, answer);
    notifyAll();
    return pending.containsKey(id);
  }

  synchronized List<P> pending() {
    return new ArrayList<>(pending.values());
  }

  /** Registers {@code entry}, so it is listed as pending before anyone hears of it. */
  synchronized void open(String id, P entry) {
    pending.put(id, entry);
  }

  /** Blocks until {@code id} is answered or the thread is interrupted. */
  synchronized A await(String id) throws InterruptedException {
    try {
      while (!answers.containsKey(id)) {
        wait();
      }
      return answers.get(id);
    } finally {
      pending.remove(id);
    }
  }
}
