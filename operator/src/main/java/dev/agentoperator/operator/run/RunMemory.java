package dev.agentoperator.operator.run;

import dev.agentoperator.operator.api.v1alpha1.ResolvedApproval;
import dev.agentoperator.operator.api.v1alpha1.StepSummary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the operator remembers about one unfinished run between reconciles, for what the status as
 * cached cannot tell: a throttled status write leaves the cache behind the runner, and a failed
 * write (a conflict) must not lose who answered an approval nor ask the runner twice. One object
 * per run, made on first sight and dropped when the run ends or is deleted ({@link RunMemories}).
 */
final class RunMemory {

  private String podUid;
  private final Set<String> forwarded = new HashSet<>();
  private List<ResolvedApproval> resolved;
  private List<StepSummary> steps;

  /**
   * An immutable copy for the decide step.
   *
   * @param podUid the uid of the pod the run was dispatched to; another uid means it was replaced
   * @param forwarded approval and question ids already passed to the runner
   * @param resolved approvals answered so far, null until the first
   * @param steps step lines folded so far, null until the first progress
   */
  record Snapshot(
      String podUid,
      Set<String> forwarded,
      List<ResolvedApproval> resolved,
      List<StepSummary> steps) {

    static final Snapshot EMPTY = new Snapshot(null, Set.of(), null, null);
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(podUid, Set.copyOf(forwarded), resolved, steps);
  }

  synchronized void rememberPod(String uid) {
    podUid = uid;
  }

  synchronized void forgetPod() {
    podUid = null;
  }

  /** Marks {@code id} sent; false when it was sent already. */
  synchronized boolean markForwarded(String id) {
    return forwarded.add(id);
  }

  synchronized boolean wasForwarded(String id) {
    return forwarded.contains(id);
  }

  synchronized void rememberResolved(List<ResolvedApproval> recent) {
    resolved = List.copyOf(recent);
  }

  synchronized void rememberSteps(List<StepSummary> recent) {
    steps = List.copyOf(recent);
  }
}
