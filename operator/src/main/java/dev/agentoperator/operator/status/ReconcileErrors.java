package dev.agentoperator.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * Turns an exception thrown while reconciling into conditions on the object ({@code
 * Ready=Unknown}, {@code Stalled=True}, a CamelCase reason, a bounded message) and into JOSDK's
 * retry decision, so that a failure is visible on the object and never a silent crash loop.
 */
public final class ReconcileErrors {

  /** How long to wait before trying again once JOSDK's retries are used up. */
  public static final Duration AFTER_RETRIES = Duration.ofMinutes(5);

  static final int MESSAGE_LIMIT = 1024;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ReconcileErrors() {}

  /**
   * True for an optimistic-locking conflict: routine, retried at once on the fresh object, and not
   * worth a condition.
   */
  public static boolean isConflict(Exception e) {
    return e instanceof KubernetesClientException k && k.getCode() == 409;
  }

  /** A CamelCase reason naming what failed. */
  public static String reason(Exception e) {
    if (e instanceof KubernetesClientException k) {
      return k.getCode() >= 500 || k.getCode() == 0
          ? "KubernetesApiUnavailable"
          : "KubernetesApiError";
    }
    if (e instanceof IllegalArgumentException) {
      return "InvalidSpec";
    }
    return "ReconcileError";
  }

  /** The exception's message (its cause's when it has none), bounded. */
  public static String message(Exception e) {
    Throwable shown = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
    String text = shown.getClass().getSimpleName() + ": " + shown.getMessage();
    text = "reconcile failed (retried with backoff): " + text;
    return text.length() <= MESSAGE_LIMIT ? text : text.substring(0, MESSAGE_LIMIT) + "...";
  }

  /**
   * Logs a failed reconcile, one line in the same shape for every kind (the stack trace at debug):
   * {@code reconcile failed: namespace= name= kind= reason= message=}.
   */
  public static void log(Logger log, HasMetadata resource, Exception e) {
    log.warn(
        "reconcile failed: namespace={} name={} kind={} reason={} message={}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        resource.getKind(),
        reason(e),
        message(e));
    log.debug("reconcile failure detail", e);
  }

  /** {@code list} with Ready Unknown and Reconciling/Stalled set for the failure. */
  public static List<Condition> failed(
      Conditions conditions, List<Condition> list, String readyType, Exception e, Long generation) {
    String reason = reason(e);
    String message = message(e);
    List<Condition> updated =
        conditions.set(list, readyType, ConditionStatus.Unknown, reason, message, generation);
    return GitOpsConditions.set(
        conditions, updated, GitOpsConditions.Progress.STALLED, reason, message, generation);
  }

  /**
   * Records {@code failed} (a copy of {@code read} with the error conditions) through the one
   * status path, and keeps JOSDK's retry with backoff; after the last retry, looks again after
   * {@link #AFTER_RETRIES} instead of giving up for good. A write that fails too (the API server
   * that failed the reconcile may refuse this as well) is left to the next retry.
   */
  public static <P extends CustomResource<?, ?>> ErrorStatusUpdateControl<P> record(
      P read, P failed, Context<P> context, StatusRecorder recorder, Logger log) {
    if (context != null) {
      try {
        recorder.record(read, failed, context);
      } catch (RuntimeException writeFailed) {
        log.debug("error status not written: {}", writeFailed.toString());
      }
    }
    ErrorStatusUpdateControl<P> control = ErrorStatusUpdateControl.noStatusUpdate();
    boolean lastAttempt =
        context != null && context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(false);
    return lastAttempt ? control.withNoRetry().rescheduleAfter(AFTER_RETRIES) : control;
  }

  /** A deep copy of {@code resource}, to carry a status without editing the object read. */
  public static <P extends HasMetadata> P copy(P resource) {
    return SERIALIZATION.clone(resource);
  }
}
