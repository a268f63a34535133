package dev.agentoperator.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The observed state of an AgentRun, written only by the operator and bounded in size. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentRunStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @PrinterColumn(name = "Phase", priority = 0)
  @JsonPropertyDescription("Pending, Queued, Running, AwaitingApproval, AwaitingInput, Succeeded, Failed, Cancelled or TimedOut.")
  private AgentRunPhase phase;

  @JsonPropertyDescription("Accepted, Running and Succeeded, following the Kubernetes API conventions.")
  private List<Condition> conditions = new ArrayList<>();

  @PrinterColumn(name = "Session", priority = 0)
  @JsonPropertyDescription("The AgentSession running this run (the ephemeral one for a sessionTemplate).")
  private String session;

  @JsonPropertyDescription("The sandbox pod running this run.")
  private String podName;

  @JsonPropertyDescription("Position in the session's queue while Queued; 1 runs next.")
  private Integer queuePosition;

  @JsonPropertyDescription("How many times the run was dispatched to a runner; above 1 after a pod was lost and the run resumed.")
  private Integer attempts;

  @JsonPropertyDescription("When the run was first dispatched (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the run ended (RFC 3339).")
  private String completionTime;

  @PrinterColumn(name = "Steps", priority = 0)
  @JsonPropertyDescription("Model calls made so far.")
  private Integer steps;

  @JsonPropertyDescription("Tool calls made so far.")
  private Integer toolCalls;

  @JsonPropertyDescription("Tokens used so far.")
  private Usage usage;

  @JsonPropertyDescription("One line for each of the last 10 steps; the full trace is in the runner's log and the transcript.")
  private List<StepSummary> recentSteps = new ArrayList<>();

  @JsonPropertyDescription("Tool calls waiting for an answer in spec.approvals.")
  private List<PendingApproval> pendingApprovals = new ArrayList<>();

  @JsonPropertyDescription("Questions of the agent waiting for an answer in spec.answers (phase AwaitingInput).")
  private List<PendingQuestion> pendingQuestions = new ArrayList<>();

  @JsonPropertyDescription("The last 10 answers from spec.approvals passed to the runner, with who gave each.")
  private List<ResolvedApproval> resolvedApprovals = new ArrayList<>();

  @JsonPropertyDescription("The latest workspace snapshot taken by this run.")
  private SnapshotStatus snapshot;

  @JsonPropertyDescription("The agent's final answer.")
  private RunResult result;

  @JsonPropertyDescription("The last branch this run published with git_push.")
  private PushStatus lastPush;

  @JsonPropertyDescription("The last pull request this run opened (or found open) with open_pull_request.")
  private PullRequestStatus pullRequest;

  @JsonPropertyDescription("A human-readable sentence about the current state or the reason it ended.")
  private String message;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public AgentRunStatus setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
    return this;
  }

  public AgentRunPhase getPhase() {
    return phase;
  }

  public AgentRunStatus setPhase(AgentRunPhase phase) {
    this.phase = phase;
    return this;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public AgentRunStatus setConditions(List<Condition> conditions) {
    this.conditions = conditions;
    return this;
  }

  public String getSession() {
    return session;
  }

  public AgentRunStatus setSession(String session) {
    this.session = session;
    return this;
  }

  public String getPodName() {
    return podName;
  }

  public AgentRunStatus setPodName(String podName) {
    this.podName = podName;
    return this;
  }

  public Integer getQueuePosition() {
    return queuePosition;
  }

  public AgentRunStatus setQueuePosition(Integer queuePosition) {
    this.queuePosition = queuePosition;
    return this;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public AgentRunStatus setAttempts(Integer attempts) {
    this.attempts = attempts;
    return this;
  }

  public String getStartTime() {
    return startTime;
  }

  public AgentRunStatus setStartTime(String startTime) {
    this.startTime = startTime;
    return this;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public AgentRunStatus setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
    return this;
  }

  public Integer getSteps() {
    return steps;
  }

  public AgentRunStatus setSteps(Integer steps) {
    this.steps = steps;
    return this;
  }

  public Integer getToolCalls() {
    return toolCalls;
  }

  public AgentRunStatus setToolCalls(Integer toolCalls) {
    this.toolCalls = toolCalls;
    return this;
  }

  public Usage getUsage() {
    return usage;
  }

  public AgentRunStatus setUsage(Usage usage) {
    this.usage = usage;
    return this;
  }

  public List<StepSummary> getRecentSteps() {
    return recentSteps;
  }

  public AgentRunStatus setRecentSteps(List<StepSummary> recentSteps) {
    this.recentSteps = recentSteps;
    return this;
  }

  public List<PendingApproval> getPendingApprovals() {
    return pendingApprovals;
  }

  public AgentRunStatus setPendingApprovals(List<PendingApproval> pendingApprovals) {
    this.pendingApprovals = pendingApprovals;
    return this;
  }

  public List<PendingQuestion> getPendingQuestions() {
    return pendingQuestions;
  }

  public AgentRunStatus setPendingQuestions(List<PendingQuestion> pendingQuestions) {
    this.pendingQuestions = pendingQuestions;
    return this;
  }

  public List<ResolvedApproval> getResolvedApprovals() {
    return resolvedApprovals;
  }

  public AgentRunStatus setResolvedApprovals(List<ResolvedApproval> resolvedApprovals) {
    this.resolvedApprovals = resolvedApprovals;
    return this;
  }

  public SnapshotStatus getSnapshot() {
    return snapshot;
  }

  public AgentRunStatus setSnapshot(SnapshotStatus snapshot) {
    this.snapshot = snapshot;
    return this;
  }

  public RunResult getResult() {
    return result;
  }

  public AgentRunStatus setResult(RunResult result) {
    this.result = result;
    return this;
  }

  public PushStatus getLastPush() {
    return lastPush;
  }

  public AgentRunStatus setLastPush(PushStatus lastPush) {
    this.lastPush = lastPush;
    return this;
  }

  public PullRequestStatus getPullRequest() {
    return pullRequest;
  }

  public AgentRunStatus setPullRequest(PullRequestStatus pullRequest) {
    this.pullRequest = pullRequest;
    return this;
  }

  public String getMessage() {
    return message;
  }

  public AgentRunStatus setMessage(String message) {
    this.message = message;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AgentRunStatus other)) {
      return false;
    }
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(phase, other.phase)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(session, other.session)
        && Objects.equals(podName, other.podName)
        && Objects.equals(queuePosition, other.queuePosition)
        && Objects.equals(attempts, other.attempts)
        && Objects.equals(startTime, other.startTime)
        && Objects.equals(completionTime, other.completionTime)
        && Objects.equals(steps, other.steps)
        && Objects.equals(toolCalls, other.toolCalls)
        && Objects.equals(usage, other.usage)
        && Objects.equals(recentSteps, other.recentSteps)
        && Objects.equals(pendingApprovals, other.pendingApprovals)
        && Objects.equals(pendingQuestions, other.pendingQuestions)
        && Objects.equals(resolvedApprovals, other.resolvedApprovals)
        && Objects.equals(snapshot, other.snapshot)
        && Objects.equals(result, other.result)
        && Objects.equals(lastPush, other.lastPush)
        && Objects.equals(pullRequest, other.pullRequest)
        && Objects.equals(message, other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, conditions, session, podName, queuePosition, attempts, startTime, completionTime, steps, toolCalls, usage, recentSteps, pendingApprovals, pendingQuestions, resolvedApprovals, snapshot, result, lastPush, pullRequest, message);
  }
}
