package dev.agentoperator.operator.session;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/** One thing the session's decide step asks the act step to do; performed in the order decided. */
sealed interface SessionAction {

  /** Create the workspace claim. */
  record CreateClaim(PersistentVolumeClaim desired) implements SessionAction {}

  /** Ask for more storage: the session's workspace size grew. */
  record GrowClaim(Quantity wanted) implements SessionAction {}

  /** Say that the claim keeps its size: the session asks for less, and a claim cannot shrink. */
  record KeepClaimSize(Quantity wanted, Quantity current) implements SessionAction {}

  /** Create the runner token Secret with a fresh random token. */
  record CreateRunnerToken() implements SessionAction {}

  /** Create the gateway token Secret with a fresh random token. */
  record CreateGatewayToken() implements SessionAction {}

  /** Create the NetworkPolicy. */
  record CreateNetworkPolicy(NetworkPolicy desired) implements SessionAction {}

  /** Replace the NetworkPolicy's spec and labels (desired carries the resourceVersion read). */
  record UpdateNetworkPolicy(NetworkPolicy desired) implements SessionAction {}

  /** Count a pod that vanished without this operator deleting it as a failure. */
  record CountVanishedPod() implements SessionAction {}

  /** Create the sandbox pod. */
  record CreatePod(Pod desired) implements SessionAction {}

  /** Delete the sandbox pod; {@code failed}: it failed, so its recreation backs off. */
  record DeletePod(boolean failed) implements SessionAction {}

  /** The pod serves again: the next failure starts from the first wait. */
  record ResetBackoff() implements SessionAction {}
}
