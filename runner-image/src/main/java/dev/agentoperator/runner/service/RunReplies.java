package dev.agentoperator.runner.service;

import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventType;
import dev.agentoperator.contract.runner.QuestionAnswer;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunSummary;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's replies to a run: approvals ({@code POST /v1/runs/{uid}/approvals}) and answers to
 * questions ({@code POST /v1/runs/{uid}/answers}). Both share one path (the run lock, an idempotent
 * repeat, the wait for the loop's echo); each keeps only its own checks.
 */
final class RunReplies {

  private static final Duration ECHO_WAIT = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(RunReplies.class);

  private final RunDirectory runs;
  private final ActiveRun active;
  private final RunSummaries summaries;

  RunReplies(RunDirectory runs, ActiveRun active, RunSummaries summaries) {
    this.runs = runs;
    this.active = active;
    this.summaries = summaries;
  }

  /** Answers a pending approval; the same decision again is a no-op, a different one a 409. */
  RunSummary approval(String uid, ApprovalDecision request) throws InterruptedException {
    String id = request.id();
    return reply(
        uid,
        id,
        EventType.APPROVAL_RESOLVED,
        (handle, projection) -> {
          if (!projection.askedFor(id)) {
            throw neverAsked(
                uid,
                "for approval",
                id,
                "approvals",
                projection.summary(uid).pendingApprovals().stream()
                    .map(RunSummary.PendingApproval::id)
                    .toList());
          }
          ApprovalDecision given = handle.answers().get(id);
          String previous = given != null ? given.decision() : projection.decisionFor(id);
          if (previous != null) {
            if (previous.equals(request.decision())) {
              return Optional.empty();
            }
            throw ApiException.conflict(
                "approval '" + id + "' was already answered with '" + previous
                    + "'; it cannot change");
          }
          requireNotEnded(projection, uid, "approval '" + id + "'");
          handle.answers().put(id, request);
          LOG.info("run {} approval {} answered: {}", uid, id, request.decision());
          return Optional.of(
              handle.running()
                  && handle
                      .loop()
                      .approvals()
                      .resolve(id, request.decision(), request.reason(), request.by()));
        });
  }

  /**
   * Answers a pending question. Idempotent for the same text; a different answer to an answered
   * question is a conflict.
   */
  RunSummary answer(String uid, QuestionAnswer request) throws InterruptedException {
    String id = request.id();
    return reply(
        uid,
        id,
        EventType.QUESTION_ANSWERED,
        (handle, projection) -> {
          if (!projection.askedQuestion(id)) {
            throw neverAsked(
                uid,
                "question",
                id,
                "questions",
                projection.summary(uid).pendingQuestions().stream()
                    .map(RunSummary.PendingQuestion::id)
                    .toList());
          }
          QuestionAnswer given = handle.questionAnswers().get(id);
          if (given != null || projection.questionAnswered(id)) {
            if (given != null && given.answer().equals(request.answer())) {
              return Optional.empty();
            }
            throw ApiException.conflict(
                "question '" + id + "' was already answered; it cannot change");
          }
          requireNotEnded(projection, uid, "question '" + id + "'");
          handle.questionAnswers().put(id, request);
          LOG.info("run {} question {} answered", uid, id);
          return Optional.of(
              handle.running()
                  && handle.loop().questions().resolve(id, request.answer(), request.by()));
        });
  }

  /**
   * What a reply does under the run lock: empty when it repeats the reply already given, else
   * whether a waiting loop took it.
   */
  @FunctionalInterface
  private interface Reply {
    Optional<Boolean> record(RunHandle handle, RunProjection projection);
  }

  /**
   * Records a reply to run {@code uid} and, when the loop was waiting for it, waits for the loop's
   * echo event so the summary answered shows the reply taken.
   */
  private RunSummary reply(String uid, String id, String echoType, Reply reply)
      throws InterruptedException {
    RunDirectory.checkUid(uid);
    RunHandle handle = runs.require(uid);
    long seqBefore;
    Optional<Boolean> waiting;
    synchronized (active) {
      seqBefore = handle.events().lastSeq();
      waiting = reply.record(handle, handle.projection());
    }
    if (waiting.orElse(false)) {
      awaitEcho(handle, echoType, id, seqBefore);
    }
    return summaries.of(handle);
  }

  private static void awaitEcho(RunHandle handle, String type, String id, long seqBefore)
      throws InterruptedException {
    long deadline = System.nanoTime() + ECHO_WAIT.toNanos();
    long seen = seqBefore;
    while (System.nanoTime() < deadline) {
      for (RunEvent event : handle.events().after(seen, Integer.MAX_VALUE)) {
        seen = event.seq();
        if (type.equals(event.type()) && id.equals(event.data().path("id").asText())) {
          return;
        }
      }
      handle.events().awaitAfter(seen, Duration.ofMillis(100));
    }
  }

  /** The 409 for a reply that comes after the run ended. */
  private static void requireNotEnded(RunProjection projection, String uid, String what) {
    if (projection.phase().isFinal()) {
      throw ApiException.conflict(
          "run " + uid + " has ended (" + projection.phase() + "); " + what + " is moot");
    }
  }

  /** The 404 for a reply to something the run never asked, naming what is pending. */
  private static ApiException neverAsked(
      String uid, String what, String id, String plural, List<String> pending) {
    return ApiException.notFound(
        "run "
            + uid
            + " never asked "
            + what
            + " '"
            + Abbreviate.line(id, 80)
            + "'"
            + (pending.isEmpty() ? "; it has no pending " + plural : "; pending: " + pending));
  }
}
