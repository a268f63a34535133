-- Argo CD health of an AgentSession (agentoperator.dev/v1alpha1). Install: see argocd/README.md.
-- Healthy: the sandbox is ready, or idle with its workspace kept. Suspended: spec.suspend.
-- Progressing: being set up or torn down. Degraded: failed.
local hs = {status = "Progressing", message = "Waiting for the operator to observe the session"}
if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "The session is suspended; runs wait in its queue"
  return hs
end
if obj.status == nil then
  return hs
end
local status = obj.status
if status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and status.observedGeneration < obj.metadata.generation then
  return hs
end
local reason = nil
if status.conditions ~= nil then
  for _, condition in ipairs(status.conditions) do
    if condition.type == "Ready" and condition.status ~= "True" then
      reason = condition.message
    end
  end
end
local phase = status.phase
if phase == "Ready" then
  hs.status = "Healthy"
  hs.message = "The sandbox pod " .. (status.podName or "") .. " is ready"
elseif phase == "Idle" then
  hs.status = "Healthy"
  hs.message = "Idle: the pod was stopped after idleTimeout; the workspace is kept"
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = reason or "The session failed"
elseif phase ~= nil then
  hs.message = reason or ("The session is " .. phase)
end
return hs
