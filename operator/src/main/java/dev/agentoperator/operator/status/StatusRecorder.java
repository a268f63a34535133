package dev.agentoperator.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one way both reconcilers write status. Only a change is written; the write is a PUT of the
 * status with the resourceVersion read (optimistic locking), so a status computed from a stale
 * object never overwrites a newer one. A conflict is handled here: when the object changed only
 * outside status (a finalizer, a spec edit, labels), the status read is still the base, so the
 * write is repeated once on the fresh resourceVersion instead of costing a whole reconcile; when
 * the status itself changed meanwhile the conflict is thrown and the reconcile runs again on the
 * fresh object. The written object is handed to the controller's cache, since the next event can
 * trigger a reconcile before the informer has seen the write.
 */
public final class StatusRecorder {

  /**
   * Writes the status of {@code next} unless it equals that of {@code read}.
   *
   * @param read the primary resource as the reconcile read it
   * @param next a copy of it carrying the status to record
   * @return true when a write happened
   */
  public <P extends CustomResource<?, ?>> boolean record(P read, P next, Context<P> context) {
    return record(read, next, context.getClient(), written -> cache(context, read, written));
  }

  /**
   * As {@link #record(CustomResource, CustomResource, Context)}, telling {@code cache} of what
   * was written (or found written already).
   */
  <P extends CustomResource<?, ?>> boolean record(
      P read, P next, KubernetesClient client, Consumer<P> cache) {
    if (Objects.equals(read.getStatus(), next.getStatus())) {
      return false;
    }
    next.getMetadata().setResourceVersion(read.getMetadata().getResourceVersion());
    P written;
    try {
      written = client.resource(next).updateStatus();
    } catch (KubernetesClientException e) {
      if (!ReconcileErrors.isConflict(e)) {
        throw e;
      }
      P fresh = client.resource(read).get();
      if (fresh == null) {
        return false; // deleted meanwhile: nothing to record on
      }
      if (Objects.equals(fresh.getStatus(), next.getStatus())) {
        cache.accept(fresh);
        return false;
      }
      if (!Objects.equals(fresh.getStatus(), read.getStatus())) {
        throw e;
      }
      next.getMetadata().setResourceVersion(fresh.getMetadata().getResourceVersion());
      written = client.resource(next).updateStatus();
    }
    cache.accept(written);
    return true;
  }

  private static <P extends CustomResource<?, ?>> void cache(Context<P> context, P read, P written) {
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(read), written, read);
  }
}
