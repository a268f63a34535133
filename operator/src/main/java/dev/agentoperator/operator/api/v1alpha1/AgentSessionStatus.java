package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The observed state of an AgentSession, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentSessionStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @PrinterColumn(name = "Phase", priority = 0)
  @JsonPropertyDescription("Pending, Ready, Idle, Failed or Terminating.")
  private AgentSessionPhase phase;

  @JsonPropertyDescription("Ready, WorkspaceReady and PodReady, following the Kubernetes API conventions.")
  private List<Condition> conditions = new ArrayList<>();

  @PrinterColumn(name = "Pod", priority = 0)
  @JsonPropertyDescription("The sandbox pod, when one exists.")
  private String podName;

  @JsonPropertyDescription("The PersistentVolumeClaim holding the workspace.")
  private String workspaceClaim;

  @PrinterColumn(name = "Active", priority = 0)
  @JsonPropertyDescription("The AgentRun executing now.")
  private String activeRun;

  @JsonPropertyDescription("How many AgentRuns wait for this session.")
  private Integer queuedRuns;

  @JsonPropertyDescription("When a run last started or ended here (RFC 3339); idleTimeout counts from it.")
  private String lastActivityTime;

  @JsonPropertyDescription("The latest workspace snapshot and how many were taken.")
  private SnapshotStatus snapshot;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public AgentSessionStatus setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
    return this;
  }

  public AgentSessionPhase getPhase() {
    return phase;
  }

  public AgentSessionStatus setPhase(AgentSessionPhase phase) {
    this.phase = phase;
    return this;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public AgentSessionStatus setConditions(List<Condition> conditions) {
    this.conditions = conditions;
    return this;
  }

  public String getPodName() {
    return podName;
  }

  public AgentSessionStatus setPodName(String podName) {
    this.podName = podName;
    return this;
  }

  public String getWorkspaceClaim() {
    return workspaceClaim;
  }

  public AgentSessionStatus setWorkspaceClaim(String workspaceClaim) {
    this.workspaceClaim = workspaceClaim;
    return this;
  }

  public String getActiveRun() {
    return activeRun;
  }

  public AgentSessionStatus setActiveRun(String activeRun) {
    this.activeRun = activeRun;
    return this;
  }

  public Integer getQueuedRuns() {
    return queuedRuns;
  }

  public AgentSessionStatus setQueuedRuns(Integer queuedRuns) {
    this.queuedRuns = queuedRuns;
    return this;
  }

  public String getLastActivityTime() {
    return lastActivityTime;
  }

  public AgentSessionStatus setLastActivityTime(String lastActivityTime) {
    this.lastActivityTime = lastActivityTime;
    return this;
  }

  public SnapshotStatus getSnapshot() {
    return snapshot;
  }

  public AgentSessionStatus setSnapshot(SnapshotStatus snapshot) {
    this.snapshot = snapshot;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AgentSessionStatus other)) {
      return false;
    }
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(phase, other.phase)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(podName, other.podName)
        && Objects.equals(workspaceClaim, other.workspaceClaim)
        && Objects.equals(activeRun, other.activeRun)
        && Objects.equals(queuedRuns, other.queuedRuns)
        && Objects.equals(lastActivityTime, other.lastActivityTime)
        && Objects.equals(snapshot, other.snapshot);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, conditions, podName, workspaceClaim, activeRun, queuedRuns, lastActivityTime, snapshot);
  }
}
