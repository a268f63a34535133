package dev.agentoperator.operator.session;

import dev.agentoperator.operator.api.v1alpha1.AgentSession;
import dev.agentoperator.operator.api.v1alpha1.WorkspaceSpec;
import dev.agentoperator.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Optional;

/** The session's workspace volume: {@code /data/workspace} and {@code /data/state} live on it. */
public final class WorkspaceClaim {

  private WorkspaceClaim() {}

  /**
   * The claim the session should have; its spec is immutable once created, so it is never patched.
   */
  public static PersistentVolumeClaim desired(AgentSession session, OperatorConfig config) {
    Optional<WorkspaceSpec> workspace = Optional.ofNullable(session.getSpec().workspace());
    String size = workspace.map(WorkspaceSpec::size).orElse(config.defaultWorkspaceSize());
    return new PersistentVolumeClaimBuilder()
        .withMetadata(SessionMetadata.metadata(session, SessionNames.workspaceClaim(name(session))))
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(workspace.map(WorkspaceSpec::storageClassName).orElse(null))
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  /** The storage a claim requests, or null when it requests none. */
  public static Quantity requestedStorage(PersistentVolumeClaim claim) {
    if (claim.getSpec() == null
        || claim.getSpec().getResources() == null
        || claim.getSpec().getResources().getRequests() == null) {
      return null;
    }
    return claim.getSpec().getResources().getRequests().get("storage");
  }

  /**
   * {@code claim} asking for {@code storage}: the one change Kubernetes allows to a bound claim
   * (expansion, where the storage class allows it).
   */
  public static PersistentVolumeClaim withRequestedStorage(
      PersistentVolumeClaim claim, Quantity storage) {
    return new PersistentVolumeClaimBuilder(claim)
        .editSpec()
        .editOrNewResources()
        .addToRequests("storage", storage)
        .endResources()
        .endSpec()
        .build();
  }

  private static String name(AgentSession session) {
    return session.getMetadata().getName();
  }
}
