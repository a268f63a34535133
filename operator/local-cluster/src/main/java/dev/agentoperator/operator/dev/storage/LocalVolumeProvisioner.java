package dev.agentoperator.operator.dev.storage;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's storage provisioner: every PersistentVolumeClaim gets a directory under the
 * dev home and is marked Bound. A deleted claim's directory is kept (nothing is lost by accident;
 * remove the dev home to start afresh).
 */
public final class LocalVolumeProvisioner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalVolumeProvisioner.class);

  private final KubernetesClient client;
  private final LocalStorage storage;
  private SharedIndexInformer<PersistentVolumeClaim> informer;

  public LocalVolumeProvisioner(KubernetesClient client, LocalStorage storage) {
    this.client = client;
    this.storage = storage;
  }

  /** Starts binding claims in every namespace. */
  public LocalVolumeProvisioner start() {
    return start(Map.of());
  }

  /** Starts binding the claims with all of {@code labels} (the operator's, on a shared API). */
  public LocalVolumeProvisioner start(Map<String, String> labels) {
    informer = client.persistentVolumeClaims().inAnyNamespace().withLabels(labels)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(PersistentVolumeClaim claim) {
            bind(claim);
          }

          @Override
          public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim claim) {
            bind(claim);
          }

          @Override
          public void onDelete(PersistentVolumeClaim claim, boolean unknown) {}
        });
    return this;
  }

  private void bind(PersistentVolumeClaim claim) {
    if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
      return;
    }
    String namespace = claim.getMetadata().getNamespace();
    String name = claim.getMetadata().getName();
    try {
      Files.createDirectories(storage.claimDir(namespace, name));
      Map<String, Quantity> requested = claim.getSpec() == null || claim.getSpec().getResources()
          == null ? Map.of() : claim.getSpec().getResources().getRequests();
      claim.setStatus(new PersistentVolumeClaimStatusBuilder()
          .withPhase("Bound")
          .withAccessModes(claim.getSpec() == null ? null : claim.getSpec().getAccessModes())
          .withCapacity(requested)
          .build());
      client.persistentVolumeClaims().inNamespace(namespace).resource(claim).updateStatus();
      LOG.info("claim {}/{} bound to {}", namespace, name, storage.claimDir(namespace, name));
    } catch (IOException | KubernetesClientException e) {
      LOG.warn("claim {}/{} not bound yet: {}", namespace, name, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
