-- Argo CD health of an AgentRun (agentoperator.dev/v1alpha1). Install: see argocd/README.md.
-- Healthy: the run succeeded. Progressing: accepted and pending, queued or running.
-- Suspended: waiting for a person's approval or answer. Degraded: rejected, failed, timed out or cancelled.
local hs = {status = "Progressing", message = "Waiting for the operator to observe the run"}
if obj.status == nil then
  return hs
end
local status = obj.status
if status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and status.observedGeneration < obj.metadata.generation then
  return hs
end
if status.conditions ~= nil then
  for _, condition in ipairs(status.conditions) do
    if condition.type == "Accepted" and condition.status == "False" then
      hs.status = "Degraded"
      hs.message = condition.message or "The run was not accepted"
      return hs
    end
  end
end
local phase = status.phase
local message = status.message
if phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = message or "The run succeeded"
elseif phase == "Failed" or phase == "TimedOut" or phase == "Cancelled" then
  hs.status = "Degraded"
  hs.message = message or ("The run ended as " .. phase)
elseif phase == "AwaitingApproval" then
  hs.status = "Suspended"
  local waiting = {}
  if status.pendingApprovals ~= nil then
    for _, approval in ipairs(status.pendingApprovals) do
      table.insert(waiting, approval.id .. " (" .. approval.tool .. ": " .. approval.summary .. ")")
    end
  end
  hs.message = "Waiting for approval in spec.approvals: " .. table.concat(waiting, ", ")
elseif phase == "AwaitingInput" then
  hs.status = "Suspended"
  local waiting = {}
  if status.pendingQuestions ~= nil then
    for _, question in ipairs(status.pendingQuestions) do
      table.insert(waiting, question.id .. " (" .. question.question .. ")")
    end
  end
  hs.message = "Waiting for an answer in spec.answers: " .. table.concat(waiting, ", ")
elseif phase == "Queued" then
  hs.message = message or ("Queued at position " .. tostring(status.queuePosition or "?"))
elseif phase ~= nil then
  hs.message = message or ("The run is " .. phase)
end
return hs
